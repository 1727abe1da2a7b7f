using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Levels;

/// <summary>
/// A member level (会员等级) HQ defines: reached when the member's paid amount net of refunds over the basis
/// (<see cref="ThresholdBasis"/>) reaches <see cref="Threshold"/> fen, or granted by a recharge package (储值即会员,
/// whose <c>LevelGranted</c> is a rank). Members hold a level by its <see cref="Rank"/> (<c>members.Level</c>,
/// 0 = none), so a rank is unique and does not change while members hold it; a held level is archived, not deleted.
/// </summary>
public sealed class MemberLevel
{
    public const int NameMaxLength = 32;
    public const int MaxRank = 100;
    public const long MaxThreshold = 1_000_000_000_000; // 10 billion yuan: anything larger is a typing error
    public const decimal MinMultiplier = 1.0m;
    public const decimal MaxMultiplier = 10.0m;

    private MemberLevel() { }

    public MemberLevel(int rank, string name, long threshold, decimal pointsMultiplier, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        CreatedAt = createdAt;
        Rank = rank;
        Update(name, threshold, pointsMultiplier);
    }

    public Guid Id { get; private set; }
    public int Rank { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Paid amount (fen, net of refunds, over the basis) from which the level is reached.</summary>
    public long Threshold { get; private set; }
    /// <summary>Purchase points are multiplied by it (1.0, 1.2, 1.5 ...; two decimals at most).</summary>
    public decimal PointsMultiplier { get; private set; }
    /// <summary>No longer reached by threshold; members who hold it keep it until their level is re-evaluated.</summary>
    public bool Archived { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Update(string name, long threshold, decimal pointsMultiplier)
    {
        Name = name;
        Threshold = threshold;
        PointsMultiplier = pointsMultiplier;
    }

    /// <summary>A rank is what members and packages hold: it moves only while nobody holds it.</summary>
    public void Rerank(int rank, bool held)
    {
        if (rank == Rank) return;
        if (held)
            throw new DomainException(DomainError.Conflict("member_level.rank_held",
                $"Members hold or packages grant level rank {Rank}; its rank cannot change (create another level instead)."));
        Rank = rank;
    }

    public void Archive() => Archived = true;
}

public enum ThresholdBasis
{
    /// <summary>Everything the member ever paid, net of refunds.</summary>
    Lifetime,
    /// <summary>Sales from the brand-time midnight twelve months before today, net of their refunds.</summary>
    Trailing12Months,
}

/// <summary>
/// HQ's level settings: one row for the brand (absent = the defaults), which also carries the state of the
/// re-evaluation of every member (<see cref="ReevaluateMemberLevelsPage"/>). HQ's changes to what levels depend on
/// bump <see cref="RulesVersion"/> in their own transaction; a pass re-evaluates every member under one version
/// (and, under trailing 12 months, once per brand day: the window moves on without any document). The row is the
/// pass's lock: its pages and HQ's changes serialize on it.
/// </summary>
public sealed class MemberLevelSettings
{
    public const int SingletonId = 1;

    private MemberLevelSettings() { }

    public MemberLevelSettings(ThresholdBasis basis, int rulesVersion)
    {
        Id = SingletonId;
        Basis = basis;
        RulesVersion = rulesVersion;
    }

    public int Id { get; private set; }
    public ThresholdBasis Basis { get; private set; }
    /// <summary>Bumped (in SQL, so two HQ changes never count as one) by every change of thresholds, levels or the basis.</summary>
    public int RulesVersion { get; private set; }
    /// <summary>The rules version the running (or last) pass re-evaluates under.</summary>
    public int ReevaluationRulesVersion { get; private set; }
    /// <summary>The brand day the running (or last) pass was started on.</summary>
    public DateOnly? ReevaluationDay { get; private set; }
    /// <summary>Why the running (or last) pass runs: <see cref="LevelChangeCause.HqChange"/> or <see cref="LevelChangeCause.TrailingWindow"/>.</summary>
    public LevelChangeCause? ReevaluationCause { get; private set; }
    /// <summary>The last member (by id) the running pass has re-evaluated; null before its first page.</summary>
    public Guid? ReevaluationCursor { get; private set; }
    public DateTimeOffset? ReevaluationStartedAt { get; private set; }
    public DateTimeOffset? ReevaluationDoneAt { get; private set; }
    /// <summary>Members the running (or last) pass has re-evaluated so far.</summary>
    public int ReevaluatedMembers { get; private set; }

    public bool ReevaluationRunning => ReevaluationStartedAt is not null && ReevaluationDoneAt is null;

    public void Change(ThresholdBasis basis) => Basis = basis;

    /// <summary>
    /// What a new pass would be for, or null when none is due: HQ changed the rules since the last pass (every
    /// member), or under trailing 12 months the brand day has turned since (members holding a level: only they can drop).
    /// </summary>
    public LevelChangeCause? ReevaluationDue(DateOnly today) =>
        RulesVersion != ReevaluationRulesVersion ? LevelChangeCause.HqChange
        : Basis == ThresholdBasis.Trailing12Months && (ReevaluationDay is null || ReevaluationDay < today) ? LevelChangeCause.TrailingWindow
        : null;

    /// <summary>Whether the running pass must start over: HQ changed the rules after it started (members behind the cursor saw the old ones).</summary>
    public bool ReevaluationOutdated => ReevaluationRunning && RulesVersion != ReevaluationRulesVersion;

    public void StartReevaluation(LevelChangeCause cause, DateOnly today, DateTimeOffset now)
    {
        ReevaluationCause = cause;
        ReevaluationRulesVersion = RulesVersion;
        ReevaluationDay = today;
        ReevaluationCursor = null;
        ReevaluationStartedAt = now;
        ReevaluationDoneAt = null;
        ReevaluatedMembers = 0;
    }

    /// <summary>A page of the pass is done: the cursor moves past it, or the pass ends when the page was the last.</summary>
    public void ReevaluationAdvanced(Guid? lastMember, int members, bool last, DateTimeOffset now)
    {
        ReevaluatedMembers += members;
        ReevaluationCursor = last ? null : lastMember;
        if (last) ReevaluationDoneAt = now;
    }

    /// <summary>The reference a pass's level changes carry: the rules version, or the brand day the window moved to.</summary>
    public string ReevaluationReference => ReevaluationCause == LevelChangeCause.TrailingWindow
        ? "window " + ReevaluationDay?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
        : "rules v" + ReevaluationRulesVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task<ThresholdBasis> BasisAsync(Persistence.GuideDbContext db, CancellationToken cancellationToken) =>
        await db.MemberLevelSettings.AsNoTracking().Where(s => s.Id == SingletonId).Select(s => (ThresholdBasis?)s.Basis)
            .SingleOrDefaultAsync(cancellationToken) ?? ThresholdBasis.Lifetime;

    /// <summary>
    /// HQ changed what levels depend on: every member is due for re-evaluation. Inside HQ's command, so the change
    /// and the bump commit together; the increment is SQL (two racing changes make two versions), and a brand
    /// without a settings row gets one (two racing inserts: the unique key, and the policy's retry).
    /// </summary>
    internal static async Task RulesChangedAsync(Persistence.GuideDbContext db, CancellationToken cancellationToken)
    {
        var added = db.ChangeTracker.Entries<MemberLevelSettings>().FirstOrDefault(e => e.State == EntityState.Added);
        if (added is not null)
        {
            added.Entity.RulesVersion++;
            return;
        }
        var bumped = await db.MemberLevelSettings.Where(s => s.Id == SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RulesVersion, x => x.RulesVersion + 1), cancellationToken);
        if (bumped == 0) db.MemberLevelSettings.Add(new MemberLevelSettings(ThresholdBasis.Lifetime, rulesVersion: 1));
    }
}

public enum LevelChangeCause
{
    /// <summary>A sale or refund document (the reference is its document number).</summary>
    Document,
    /// <summary>A recharge was paid and its package granted a level (the reference is the out_trade_no).</summary>
    Recharge,
    /// <summary>A recharge was refunded (or its refund closed): its grant ended (or came back).</summary>
    RechargeRefund,
    /// <summary>A grant's validity ended (the daily job; the reference is the recharge's out_trade_no).</summary>
    GrantExpiry,
    /// <summary>HQ changed thresholds, levels or the basis: the re-evaluation of every member (the reference is "rules v{version}").</summary>
    HqChange,
    /// <summary>
    /// Under trailing 12 months the window moved on by a day and the member's older purchases left it (the daily
    /// re-evaluation; the reference is "window {brand day}").
    /// </summary>
    TrailingWindow,
}

/// <summary>One change of a member's level, append-only: what caused it, from which rank to which, when.</summary>
public sealed class MemberLevelChange
{
    public const int ReferenceMaxLength = 64;

    private MemberLevelChange() { }

    public MemberLevelChange(Guid memberId, int fromRank, int toRank, LevelChangeCause cause, string? reference, DateTimeOffset changedAt)
    {
        Id = Ids.New();
        MemberId = memberId;
        FromRank = fromRank;
        ToRank = toRank;
        Cause = cause;
        Reference = reference is { Length: > ReferenceMaxLength } ? reference[..ReferenceMaxLength] : reference;
        ChangedAt = changedAt;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public int FromRank { get; private set; }
    public int ToRank { get; private set; }
    public LevelChangeCause Cause { get; private set; }
    public string? Reference { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }
}

internal sealed class MemberLevelConfiguration : IEntityTypeConfiguration<MemberLevel>
{
    public void Configure(EntityTypeBuilder<MemberLevel> b)
    {
        b.ToTable("member_levels");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Rank).IsUnique();
        b.Property(x => x.Name).HasMaxLength(MemberLevel.NameMaxLength).IsRequired();
        b.Property(x => x.PointsMultiplier).HasPrecision(4, 2);
    }
}

internal sealed class MemberLevelSettingsConfiguration : IEntityTypeConfiguration<MemberLevelSettings>
{
    public void Configure(EntityTypeBuilder<MemberLevelSettings> b)
    {
        b.ToTable("member_level_settings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Basis).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.ReevaluationCause).HasConversion<string>().HasMaxLength(24);
    }
}

internal sealed class MemberLevelChangeConfiguration : IEntityTypeConfiguration<MemberLevelChange>
{
    public void Configure(EntityTypeBuilder<MemberLevelChange> b)
    {
        b.ToTable("member_level_changes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Cause).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Reference).HasMaxLength(MemberLevelChange.ReferenceMaxLength);
        b.HasIndex(x => new { x.MemberId, x.ChangedAt });
        b.HasOne<Members.Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
