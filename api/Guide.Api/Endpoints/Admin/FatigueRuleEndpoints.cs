using System.Security.Claims;
using Guide.Api.Auth;
using Guide.Api.OpenApi;
using Guide.Domain.Messaging;
using MediatR;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: the fatigue rules (疲劳度) every capped message passes, one document with a version.</summary>
public static class FatigueRuleEndpoints
{
    private const string Rules = "/fatigue-rules";

    public static RouteGroupBuilder MapAdminFatigueRuleEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet(Rules, async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new GetFatigueRules(), ct)))
            .WithSummary("The fatigue rules: windows, quiet hours, holidays, whitelist, whether account messages are capped; with the version a PUT names.")
            .Errors();
        admin.MapPut(Rules, async (FatigueRulesRequest r, ClaimsPrincipal user, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(r.ToCommand(user.SubjectId().ToString()), ct)))
            .WithSummary("Replace the whole fatigue rules document, with the version it was read at (a stale version: 409, nothing saved). "
                + "Contradicting windows, unknown whitelisted members and bad fields are refused; the saved document comes back with its new version.")
            .Errors("request.validation_failed", "fatigue.conflicting_windows", "fatigue.unknown_member", "fatigue.version_conflict");
        return admin;
    }
}
