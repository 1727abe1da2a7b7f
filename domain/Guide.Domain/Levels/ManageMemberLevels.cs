using System.Globalization;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Levels;

public sealed record MemberLevelView(Guid Id, int Rank, string Name, long Threshold, decimal PointsMultiplier, bool Archived, int Members)
{
    internal static MemberLevelView Of(MemberLevel l, int members) => new(l.Id, l.Rank, l.Name, l.Threshold, l.PointsMultiplier, l.Archived, members);
}

/// <summary>
/// HQ creates (<see cref="LevelId"/> null) or changes a level. The multiplier comes as decimal text ("1.2"): money
/// and multipliers are never binary floating point on the wire.
/// </summary>
public sealed record SaveMemberLevel(Guid? LevelId, int Rank, string Name, long Threshold, string PointsMultiplier) : ICommand<MemberLevelView>
{
    internal decimal Multiplier => decimal.Parse(PointsMultiplier, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}

public sealed class SaveMemberLevelValidator : AbstractValidator<SaveMemberLevel>
{
    public SaveMemberLevelValidator()
    {
        RuleFor(x => x.Rank).InclusiveBetween(1, MemberLevel.MaxRank);
        RuleFor(x => x.Name).NotEmpty().MaximumLength(MemberLevel.NameMaxLength).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("A level has a name.");
        RuleFor(x => x.Threshold).InclusiveBetween(0, MemberLevel.MaxThreshold).WithMessage("The threshold is in fen, 0 or more.");
        RuleFor(x => x.PointsMultiplier).NotEmpty().Matches(@"^[0-9]{1,2}(\.[0-9]{1,2})?$")
            .WithMessage("The multiplier is a decimal with at most two places, e.g. \"1.2\".")
            .Must(m => decimal.TryParse(m, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
                && d >= MemberLevel.MinMultiplier && d <= MemberLevel.MaxMultiplier)
            .WithMessage($"The multiplier is from {MemberLevel.MinMultiplier:0.0} to {MemberLevel.MaxMultiplier:0.0}.");
    }
}

public sealed class SaveMemberLevelHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<SaveMemberLevel, MemberLevelView>
{
    public async Task<MemberLevelView> Handle(SaveMemberLevel r, CancellationToken cancellationToken)
    {
        // Rank unique: checked here for a clear answer; the unique index decides a race.
        if (await db.MemberLevels.AnyAsync(l => l.Rank == r.Rank && l.Id != r.LevelId, cancellationToken))
            throw new DomainException(DomainError.Conflict("member_level.rank_taken", $"Another level has rank {r.Rank}."));
        MemberLevel level;
        if (r.LevelId is { } id)
        {
            level = await db.MemberLevels.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw MemberLevelErrors.NotFound();
            var (rank, threshold) = (level.Rank, level.Threshold);
            level.Rerank(r.Rank, await MemberLevelErrors.HeldAsync(db, level.Rank, cancellationToken));
            level.Update(r.Name.Trim(), r.Threshold, r.Multiplier);
            // A name or a multiplier decides nobody's level; a threshold or a rank does.
            if (level.Rank != rank || level.Threshold != threshold) await MemberLevelSettings.RulesChangedAsync(db, cancellationToken);
        }
        else
        {
            level = new MemberLevel(r.Rank, r.Name.Trim(), r.Threshold, r.Multiplier, clock.UtcNow);
            db.MemberLevels.Add(level);
            await MemberLevelSettings.RulesChangedAsync(db, cancellationToken);
        }
        return MemberLevelView.Of(level, await db.Members.CountAsync(m => m.Level == level.Rank, cancellationToken));
    }
}

/// <summary>
/// HQ removes a level: archived (kept, no longer reached by threshold) when members hold it or a package grants
/// it, deleted otherwise. Answers the archived level, or null when it was deleted. Either way every member is
/// re-evaluated (those holding it by threshold fall to the next level they reach).
/// </summary>
public sealed record DeleteMemberLevel(Guid LevelId) : ICommand<MemberLevelView?>;

public sealed class DeleteMemberLevelHandler(GuideDbContext db) : IRequestHandler<DeleteMemberLevel, MemberLevelView?>
{
    public async Task<MemberLevelView?> Handle(DeleteMemberLevel request, CancellationToken cancellationToken)
    {
        var level = await db.MemberLevels.SingleOrDefaultAsync(l => l.Id == request.LevelId, cancellationToken) ?? throw MemberLevelErrors.NotFound();
        await MemberLevelSettings.RulesChangedAsync(db, cancellationToken);
        if (!await MemberLevelErrors.HeldAsync(db, level.Rank, cancellationToken))
        {
            db.MemberLevels.Remove(level);
            return null;
        }
        level.Archive();
        return MemberLevelView.Of(level, await db.Members.CountAsync(m => m.Level == level.Rank, cancellationToken));
    }
}

public sealed record ListMemberLevels : IRequest<IReadOnlyList<MemberLevelView>>;

public sealed class ListMemberLevelsHandler(GuideDbContext db) : IRequestHandler<ListMemberLevels, IReadOnlyList<MemberLevelView>>
{
    public async Task<IReadOnlyList<MemberLevelView>> Handle(ListMemberLevels request, CancellationToken cancellationToken)
    {
        var levels = await db.MemberLevels.AsNoTracking().OrderBy(l => l.Rank).ToListAsync(cancellationToken);
        var held = await db.Members.AsNoTracking().Where(m => m.Level > 0).GroupBy(m => m.Level)
            .Select(g => new { Rank = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Rank, g => g.Count, cancellationToken);
        return levels.Select(l => MemberLevelView.Of(l, held.GetValueOrDefault(l.Rank))).ToList();
    }
}

public sealed record GetMemberLevel(Guid LevelId) : IRequest<MemberLevelView>;

public sealed class GetMemberLevelHandler(GuideDbContext db) : IRequestHandler<GetMemberLevel, MemberLevelView>
{
    public async Task<MemberLevelView> Handle(GetMemberLevel request, CancellationToken cancellationToken)
    {
        var level = await db.MemberLevels.AsNoTracking().SingleOrDefaultAsync(l => l.Id == request.LevelId, cancellationToken) ?? throw MemberLevelErrors.NotFound();
        return MemberLevelView.Of(level, await db.Members.CountAsync(m => m.Level == level.Rank, cancellationToken));
    }
}

/// <summary>
/// Where the re-evaluation of every member stands: <c>Pending</c> while one is due or running (HQ changed the rules,
/// or the trailing window moved on), with the last (or running) pass's start, end and members re-evaluated.
/// </summary>
public sealed record LevelReevaluationView(bool Pending, DateTimeOffset? StartedAt, DateTimeOffset? DoneAt, int Members)
{
    internal static LevelReevaluationView Of(MemberLevelSettings? s, DateOnly today, bool rulesChanged = false) => s is null
        ? new(rulesChanged, null, null, 0)
        : new(rulesChanged || s.ReevaluationRunning || s.ReevaluationDue(today) is not null, s.ReevaluationStartedAt, s.ReevaluationDoneAt, s.ReevaluatedMembers);
}

public sealed record MemberLevelSettingsView(ThresholdBasis Basis, LevelReevaluationView Reevaluation);

public sealed record GetMemberLevelSettings : IRequest<MemberLevelSettingsView>;

public sealed class GetMemberLevelSettingsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetMemberLevelSettings, MemberLevelSettingsView>
{
    public async Task<MemberLevelSettingsView> Handle(GetMemberLevelSettings request, CancellationToken cancellationToken)
    {
        var settings = await db.MemberLevelSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == MemberLevelSettings.SingletonId, cancellationToken);
        return new(settings?.Basis ?? ThresholdBasis.Lifetime, LevelReevaluationView.Of(settings, clock.Today));
    }
}

/// <summary>
/// HQ chooses the threshold basis. A change makes every member due for re-evaluation, which the re-evaluation job
/// does in pages shortly after (cause <see cref="LevelChangeCause.HqChange"/>); setting the basis it already has changes nothing.
/// </summary>
public sealed record UpdateMemberLevelSettings(ThresholdBasis Basis) : ICommand<MemberLevelSettingsView>;

public sealed class UpdateMemberLevelSettingsValidator : AbstractValidator<UpdateMemberLevelSettings>
{
    public UpdateMemberLevelSettingsValidator() => RuleFor(x => x.Basis).IsInEnum();
}

public sealed class UpdateMemberLevelSettingsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UpdateMemberLevelSettings, MemberLevelSettingsView>
{
    public async Task<MemberLevelSettingsView> Handle(UpdateMemberLevelSettings request, CancellationToken cancellationToken)
    {
        var settings = await db.MemberLevelSettings.SingleOrDefaultAsync(s => s.Id == MemberLevelSettings.SingletonId, cancellationToken);
        var changed = (settings?.Basis ?? ThresholdBasis.Lifetime) != request.Basis;
        if (settings is null)
        {
            settings = new MemberLevelSettings(request.Basis, rulesVersion: 0);
            db.MemberLevelSettings.Add(settings);
        }
        else settings.Change(request.Basis);
        if (changed) await MemberLevelSettings.RulesChangedAsync(db, cancellationToken);
        return new MemberLevelSettingsView(request.Basis, LevelReevaluationView.Of(settings, clock.Today, changed));
    }
}

internal static class MemberLevelErrors
{
    public static DomainException NotFound() => new(DomainError.NotFound("member_level.not_found", "No such member level."));

    /// <summary>Members hold the rank, or a recharge package (archived or not) grants it.</summary>
    public static async Task<bool> HeldAsync(GuideDbContext db, int rank, CancellationToken cancellationToken) =>
        await db.Members.AnyAsync(m => m.Level == rank, cancellationToken)
        || await db.RechargePackages.AnyAsync(p => p.LevelGranted == rank, cancellationToken)
        || await db.Recharges.AnyAsync(r => r.LevelGranted == rank, cancellationToken);
}
