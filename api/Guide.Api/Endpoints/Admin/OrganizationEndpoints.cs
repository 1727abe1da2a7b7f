using System.Text;
using AutoMapper;
using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Domain.Identity;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Guide.MiniProgram.Contracts.Workbench;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Guide.Api.Endpoints.Admin;

/// <summary>HQ: log-in, stores, guides (with CSV import and export) and members.</summary>
public static class OrganizationEndpoints
{
    /// <summary>A guides file is small; anything larger than this is refused before it is read.</summary>
    private const long MaxImportBytes = 5 * 1024 * 1024;

    public static RouteGroupBuilder MapAdminOrganizationEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/session", LogIn).AllowAnonymous().WithSummary("HQ log-in with user name and password.")
            .Errors("request.validation_failed", "admin.invalid_credentials", "admin.login_throttled");

        admin.MapGet("/stores", (string? area, IMediator m, CancellationToken ct) => Send(m, new ListStores(area), ct))
            .Errors();
        admin.MapPost("/stores", CreateStore)
            .Errors("request.validation_failed", "store.code_taken");
        admin.MapPut("/stores/{storeId:guid}", (Guid storeId, StoreUpdateRequest r, IMediator m, CancellationToken ct) =>
            Send(m, new UpdateStore(storeId, r.Name ?? "", r.Area ?? "", r.Active), ct))
            .Errors("request.validation_failed", "store.not_found");

        admin.MapGet("/guides", async (Guid? storeId, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<IReadOnlyList<GuideView>>(await m.Send(new ListGuides(storeId), ct))))
            .Errors();
        admin.MapPost("/guides/import", ImportGuides).DisableAntiforgery().ReadsBody("text/csv", "multipart/form-data")
            .WithSummary("Import guides from CSV (text/csv body, or a multipart 'file'). One bad line rejects the whole file.")
            .Errors("guides.import_invalid");
        admin.MapGet("/guides/export", ExportGuides).WithSummary("Export guides as the CSV the import reads.")
            .Errors();

        admin.MapGet("/members", async (Guid? storeId, string? phone, int? page, int? pageSize, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.ToView<MemberProfile, AdminMemberView>(await m.Send(new ListMembers(storeId, phone, page, pageSize), ct))))
            .Errors();
        admin.MapGet("/members/{memberId:guid}", async (Guid memberId, IMediator m, IMapper mapper, CancellationToken ct) =>
            TypedResults.Ok(mapper.Map<AdminMemberView>(await m.Send(new GetMemberProfile(memberId), ct))))
            .Errors("member.not_found");
        return admin;
    }

    private static async Task<Ok<T>> Send<T>(IMediator mediator, IRequest<T> request, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(request, ct));

    private static async Task<Ok<AdminSessionResponse>> LogIn(AdminSessionRequest request, IMediator mediator, Auth.TokenIssuer tokens, CancellationToken ct)
    {
        var session = await mediator.Send(new LogInAdmin(request.UserName ?? "", request.Password ?? ""), ct);
        var token = tokens.ForAdmin(session);
        return TypedResults.Ok(new AdminSessionResponse(token.AccessToken, token.TokenType, token.ExpiresIn, session.AdminId, session.DisplayName, "hq"));
    }

    private static async Task<Created<StoreView>> CreateStore(StoreRequest request, IMediator mediator, CancellationToken ct)
    {
        var store = await mediator.Send(new Domain.Organization.CreateStore(request.Code ?? "", request.Name ?? "", request.Area ?? ""), ct);
        return TypedResults.Created($"/api/admin/stores/{store.Id}", store);
    }

    private static async Task<Ok<GuideImportResult>> ImportGuides(HttpRequest http, IMediator mediator, CancellationToken ct)
    {
        await using var body = new MemoryStream(await CsvUpload.ReadAsync(http, MaxImportBytes, ct));
        return TypedResults.Ok(await mediator.Send(new ImportGuides(body), ct));
    }

    private static async Task<FileContentHttpResult> ExportGuides(IMediator mediator, CancellationToken ct)
    {
        var csv = await mediator.Send(new Domain.Organization.ExportGuides(), ct);
        // A BOM so that Excel, which HQ opens it with, reads the Chinese names as UTF-8.
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray();
        return TypedResults.File(bytes, "text/csv; charset=utf-8", "guides.csv");
    }
}
