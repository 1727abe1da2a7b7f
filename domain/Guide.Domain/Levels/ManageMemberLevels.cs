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
            level.Rerank(r.Rank, await MemberLevelErrors.HeldAsync(db, level.Rank, cancellationToken));
            level.Update(r.Name.Trim(), r.Threshold, r.Multiplier);
        }
        else
        {
            level = new MemberLevel(r.Rank, r.Name.Trim(), r.Threshold, r.Multiplier, clock.UtcNow);
            db.MemberLevels.Add(level);
        }
        return MemberLevelView.Of(level, await db.Members.CountAsync(m => m.Level == level.Rank, cancellationToken));
    }
}

/// <summary>
/// HQ removes a level: archived (kept, no longer reached by threshold) when members hold it or a package grants
/// it, deleted otherwise. Answers the archived level, or null when it was deleted.
/// </summary>
public sealed record DeleteMemberLevel(Guid LevelId) : ICommand<MemberLevelView?>;

public sealed class DeleteMemberLevelHandler(GuideDbContext db) : IRequestHandler<DeleteMemberLevel, MemberLevelView?>
{
    public async Task<MemberLevelView?> Handle(DeleteMemberLevel request, CancellationToken cancellationToken)
    {
        var level = await db.MemberLevels.SingleOrDefaultAsync(l => l.Id == request.LevelId, cancellationToken) ?? throw MemberLevelErrors.NotFound();
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

public sealed record MemberLevelSettingsView(ThresholdBasis Basis);

public sealed record GetMemberLevelSettings : IRequest<MemberLevelSettingsView>;

public sealed class GetMemberLevelSettingsHandler(GuideDbContext db) : IRequestHandler<GetMemberLevelSettings, MemberLevelSettingsView>
{
    public async Task<MemberLevelSettingsView> Handle(GetMemberLevelSettings request, CancellationToken cancellationToken) =>
        new(await MemberLevelSettings.BasisAsync(db, cancellationToken));
}

/// <summary>HQ chooses the threshold basis; members' levels follow at their next document, recharge or grant expiry.</summary>
public sealed record UpdateMemberLevelSettings(ThresholdBasis Basis) : ICommand<MemberLevelSettingsView>;

public sealed class UpdateMemberLevelSettingsValidator : AbstractValidator<UpdateMemberLevelSettings>
{
    public UpdateMemberLevelSettingsValidator() => RuleFor(x => x.Basis).IsInEnum();
}

public sealed class UpdateMemberLevelSettingsHandler(GuideDbContext db) : IRequestHandler<UpdateMemberLevelSettings, MemberLevelSettingsView>
{
    public async Task<MemberLevelSettingsView> Handle(UpdateMemberLevelSettings request, CancellationToken cancellationToken)
    {
        var settings = await db.MemberLevelSettings.SingleOrDefaultAsync(s => s.Id == MemberLevelSettings.SingletonId, cancellationToken);
        if (settings is null) db.MemberLevelSettings.Add(new MemberLevelSettings(request.Basis));
        else settings.Change(request.Basis);
        return new MemberLevelSettingsView(request.Basis);
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
