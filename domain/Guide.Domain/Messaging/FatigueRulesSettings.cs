using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Messaging;

/// <summary>HQ's fatigue rules as saved, with the version a write must name (and who saved them last).</summary>
public sealed record FatigueRulesView(IReadOnlyList<FatigueWindow> Windows, QuietHours? QuietHours, IReadOnlyList<DoNotDisturbPeriod> Holidays,
    IReadOnlyList<Guid> Whitelist, bool CapAccountMessages, int Version, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    internal static FatigueRulesView Of(FatigueRules r, int version, DateTimeOffset? updatedAt, string? updatedBy) =>
        new(r.Windows, r.QuietHours, r.Holidays, r.Whitelist, r.CapAccountMessages, version, updatedAt, updatedBy);
}

public sealed record GetFatigueRules : IRequest<FatigueRulesView>;

public sealed class GetFatigueRulesHandler(GuideDbContext db) : IRequestHandler<GetFatigueRules, FatigueRulesView>
{
    public async Task<FatigueRulesView> Handle(GetFatigueRules request, CancellationToken cancellationToken)
    {
        var row = await db.FatigueSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == FatigueSettings.SingletonId, cancellationToken);
        return row is null
            ? FatigueRulesView.Of(FatigueRules.Default, 0, null, null)
            : FatigueRulesView.Of(FatigueRules.Parse(row.Json), row.Version, row.UpdatedAt, row.UpdatedBy);
    }
}

/// <summary>One window as HQ sends it (every field but the channel required; no channel: across all channels).</summary>
public sealed record FatigueWindowInput(MessageChannel? Channel, int? Max, int? Days, FatigueWindowKind? Kind);

public sealed record QuietHoursInput(string? Start, string? End, QuietAction? Action);

public sealed record DoNotDisturbPeriodInput(string? Name, DateOnly? From, DateOnly? To, QuietAction? Action);

/// <summary>
/// HQ replaces the whole fatigue rules document, naming the <see cref="Version"/> it read: a write over a newer version is refused
/// (<c>fatigue.version_conflict</c>), so two HQ users never overwrite each other unseen. The shape is checked by
/// <see cref="FatigueRulesValidator"/>, then the windows' contradictions, then the whitelist's members; nothing is written on any refusal.
/// </summary>
public sealed record UpdateFatigueRules(IReadOnlyList<FatigueWindowInput?>? Windows, QuietHoursInput? QuietHours,
    IReadOnlyList<DoNotDisturbPeriodInput?>? Holidays, IReadOnlyList<Guid>? Whitelist, bool? CapAccountMessages, int? Version, string UpdatedBy)
    : ICommand<FatigueRulesView>
{
    /// <summary>The document (call once the request validator passed: every required field is there).</summary>
    public FatigueRules ToRules() => new(
        Windows!.Select(w => new FatigueWindow(w!.Channel, w.Max!.Value, w.Days!.Value, w.Kind!.Value)).ToList(),
        QuietHours is { } q ? new QuietHours(q.Start!, q.End!, q.Action!.Value) : null,
        (Holidays ?? []).Select(h => new DoNotDisturbPeriod(h!.Name!, h.From!.Value, h.To!.Value, h.Action!.Value)).ToList(),
        (Whitelist ?? []).Distinct().ToList(),
        CapAccountMessages!.Value);
}

/// <summary>Every field the document needs is present; the rules on the values are <see cref="FatigueRulesValidator"/>'s.</summary>
public sealed class UpdateFatigueRulesValidator : AbstractValidator<UpdateFatigueRules>
{
    public UpdateFatigueRulesValidator()
    {
        RuleFor(x => x.Version).NotNull().WithMessage("The version the rules were read at is required (a stale write is refused).");
        RuleFor(x => x.CapAccountMessages).NotNull();
        RuleFor(x => x.Windows).NotNull();
        RuleForEach(x => x.Windows).NotNull().ChildRules(w =>
        {
            w.RuleFor(x => x!.Max).NotNull();
            w.RuleFor(x => x!.Days).NotNull();
            w.RuleFor(x => x!.Kind).NotNull();
        });
        RuleFor(x => x.QuietHours).ChildRules(q =>
        {
            q.RuleFor(x => x!.Start).NotNull();
            q.RuleFor(x => x!.End).NotNull();
            q.RuleFor(x => x!.Action).NotNull();
        }).When(x => x.QuietHours is not null);
        RuleForEach(x => x.Holidays).NotNull().ChildRules(h =>
        {
            h.RuleFor(x => x!.Name).NotNull();
            h.RuleFor(x => x!.From).NotNull();
            h.RuleFor(x => x!.To).NotNull();
            h.RuleFor(x => x!.Action).NotNull();
        });
    }
}

public sealed class UpdateFatigueRulesHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UpdateFatigueRules, FatigueRulesView>
{
    public async Task<FatigueRulesView> Handle(UpdateFatigueRules r, CancellationToken cancellationToken)
    {
        var rules = r.ToRules();
        var shape = new FatigueRulesValidator().Validate(rules);
        if (!shape.IsValid)
            throw new RequestValidationException(shape.Errors.Select(e => new FieldError(CamelCase(e.PropertyName), e.ErrorMessage, e.ErrorCode)).ToList());
        if (FatigueRulesValidator.Contradiction(rules.Windows) is { } contradiction)
            throw new DomainException(new DomainError("fatigue.conflicting_windows", contradiction));
        if (rules.Whitelist.Count > 0)
        {
            var known = await db.Members.AsNoTracking().Where(m => rules.Whitelist.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken);
            var unknown = rules.Whitelist.Except(known).ToList();
            if (unknown.Count > 0)
                throw new DomainException(new DomainError("fatigue.unknown_member", $"The whitelist names {unknown.Count} member(s) that do not exist.")
                {
                    Details = new Dictionary<string, object?> { ["memberIds"] = unknown },
                });
        }

        var row = await db.FatigueSettings.SingleAsync(s => s.Id == FatigueSettings.SingletonId, cancellationToken);
        // The row's Version is a concurrency token: a save racing this one fails at SaveChanges, the transaction retries, and
        // the retry sees the newer version here.
        if (row.Version != r.Version)
            throw new DomainException(DomainError.Conflict("fatigue.version_conflict",
                $"The rules changed since they were read (version {r.Version}, now {row.Version}): read them again.") with
            {
                Details = new Dictionary<string, object?> { ["currentVersion"] = row.Version },
            });
        row.Json = rules.ToJson();
        row.Version++;
        var now = clock.UtcNow;
        row.UpdatedAt = now.AddTicks(-(now.Ticks % 10)); // MySQL keeps microseconds: the answer equals what a read gives back
        row.UpdatedBy = r.UpdatedBy.Length > 64 ? r.UpdatedBy[..64] : r.UpdatedBy;
        return FatigueRulesView.Of(rules, row.Version, row.UpdatedAt, row.UpdatedBy);
    }

    private static string CamelCase(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
