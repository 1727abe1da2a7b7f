using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Care;

/// <summary>Who a care plan (客户关怀计划) selects. Days and amounts are in <see cref="CarePlan"/>'s target fields.</summary>
public enum CareTargetKind
{
    /// <summary>Birthday in the calendar month of the issue day (brand time).</summary>
    BirthdayThisMonth,
    /// <summary>Birthday within <see cref="CarePlan.TargetDays"/> days from the issue day (0 = today), inclusive.</summary>
    BirthdayWithinDays,
    /// <summary>The anniversary of registration falls on the issue day (years &gt;= 1).</summary>
    MembershipAnniversary,
    /// <summary>No paid sale for <see cref="CarePlan.TargetDays"/> days (members who never bought count from registration).</summary>
    NoPurchaseForDays,
    /// <summary>Paid at least <see cref="CarePlan.TargetAmount"/> fen (net of refunds) in the last <see cref="CarePlan.TargetDays"/> days.</summary>
    SpentAtLeast,
    /// <summary>At least <see cref="CarePlan.TargetCount"/> paid sales in the last <see cref="CarePlan.TargetDays"/> days.</summary>
    PurchasesAtLeast,
    /// <summary>A paid sale exactly <see cref="CarePlan.TargetDays"/> days before the issue day (brand dates).</summary>
    DaysAfterPurchase,
    /// <summary>The members of an imported list (<see cref="CarePlanListMember"/>).</summary>
    ImportedList,
}

public enum CareSchedule
{
    /// <summary>Once, on <see cref="CarePlan.StartsOn"/>.</summary>
    Once,
    Daily,
    /// <summary>Monthly on <see cref="CarePlan.MonthDay"/> (a day the month lacks: its last day).</summary>
    Monthly,
}

public enum CareChannel
{
    WeComChat,
    Phone,
    Visit,
}

public enum CareGiftKind
{
    Coupon,
    Points,
}

/// <summary>Who made the plan: HQ (all stores, read-only for stores), or an area or store manager (their scope).</summary>
public enum CarePlanOwner
{
    Hq,
    Manager,
}

/// <summary>
/// A care plan: a target, optional filters, a schedule with an issue time (07:00-23:00 brand time), a deadline,
/// a script with placeholders ({name}, {level}, {points}, {birthday}), an optional gift, a channel, a pause switch.
/// A job turns it into <see cref="CareTask"/>s, one per member per plan per period.
/// </summary>
public sealed class CarePlan
{
    public const int NameMaxLength = 64;
    public const int ScriptMaxLength = 1000;
    public const int GiftReferenceMaxLength = 64;
    public static readonly TimeOnly EarliestIssueTime = new(7, 0);
    public static readonly TimeOnly LatestIssueTime = new(23, 0);

    private CarePlan() { }

    public CarePlan(string name, CarePlanOwner owner, Guid? ownerGuideId, DateTimeOffset now)
    {
        Id = Ids.New();
        Name = name;
        Owner = owner;
        OwnerGuideId = ownerGuideId;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; set; } = "";
    public CarePlanOwner Owner { get; private set; }
    /// <summary>The manager who made it (null: HQ).</summary>
    public Guid? OwnerGuideId { get; private set; }

    public CareTargetKind TargetKind { get; set; }
    public int? TargetDays { get; set; }
    public long? TargetAmount { get; set; }
    public int? TargetCount { get; set; }

    /// <summary>Only members of these levels (ranks, <c>;</c>-separated); empty: every level.</summary>
    public string LevelFilterText { get; private set; } = "";
    /// <summary>Only members of these stores (ids, <c>;</c>-separated); empty: every store the owner covers (HQ: all).</summary>
    public string StoreFilterText { get; private set; } = "";

    public IReadOnlyList<int> LevelFilter =>
        LevelFilterText.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public IReadOnlyList<Guid> StoreFilter => StoreFilterText.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();

    public void Filter(IEnumerable<int> levels, IEnumerable<Guid> stores)
    {
        LevelFilterText = string.Join(';', levels.Distinct().Order());
        StoreFilterText = string.Join(';', stores.Distinct().Order().Select(g => g.ToString("D")));
    }

    public CareSchedule Schedule { get; set; }
    /// <summary>The first brand day the plan issues (Once: the only one).</summary>
    public DateOnly StartsOn { get; set; }
    /// <summary>The last brand day it issues (null: open).</summary>
    public DateOnly? EndsOn { get; set; }
    /// <summary>Monthly: the day of the month (1-31; a shorter month issues on its last day).</summary>
    public int? MonthDay { get; set; }
    /// <summary>Brand time of day the tasks are issued, 07:00 to 23:00.</summary>
    public TimeOnly IssueTime { get; set; }
    /// <summary>A task is due this many days after it is issued (at the end of that brand day).</summary>
    public int DeadlineDays { get; set; }

    public string Script { get; set; } = "";
    public CareGiftKind? GiftKind { get; set; }
    /// <summary>The coupon's id in the coupon system, or empty for points.</summary>
    public string? GiftReference { get; set; }
    public long? GiftPoints { get; set; }
    public CareChannel Channel { get; set; }
    public bool Paused { get; set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    /// <summary>The last period the generation finished for (a restart goes on with the periods after it).</summary>
    public string? LastIssuedPeriod { get; set; }
}

/// <summary>A member of a plan's imported list (by phone or member id), with the CSV line it came from.</summary>
public sealed class CarePlanListMember
{
    private CarePlanListMember() { }

    public CarePlanListMember(Guid planId, Guid memberId, int lineNo)
    {
        PlanId = planId;
        MemberId = memberId;
        LineNo = lineNo;
    }

    public Guid PlanId { get; private set; }
    public Guid MemberId { get; private set; }
    public int LineNo { get; private set; }
}

public enum CareTaskStatus
{
    Pending,
    Completed,
    Abandoned,
    Expired,
}

public enum CareOutcome
{
    Reached,
    Unreachable,
    Declined,
}

/// <summary>
/// One care task (关怀任务): a member to contact for a plan in one period (<see cref="Period"/>: <c>once</c>,
/// <c>yyyy-MM-dd</c> daily, <c>yyyy-MM</c> monthly). Unique per plan, member and period, so a second run, a second
/// instance or a restart mid-run creates nothing new. Assigned to the member's exclusive guide, else the store's
/// default guide, else unassigned (the store manager sees it).
/// </summary>
public sealed class CareTask
{
    public const int PeriodMaxLength = 16;
    public const int NoteMaxLength = 500;

    private CareTask() { }

    public CareTask(Guid planId, Guid memberId, string period, Guid? guideId, Guid? storeId, DateTimeOffset issuedAt, DateTimeOffset dueAt)
    {
        Id = Ids.New();
        PlanId = planId;
        MemberId = memberId;
        Period = period;
        GuideId = guideId;
        StoreId = storeId;
        IssuedAt = issuedAt;
        DueAt = dueAt;
    }

    public Guid Id { get; private set; }
    public Guid PlanId { get; private set; }
    public Guid MemberId { get; private set; }
    public string Period { get; private set; } = "";
    public Guid? GuideId { get; set; }
    public Guid? StoreId { get; set; }
    public CareTaskStatus Status { get; set; }
    public DateTimeOffset IssuedAt { get; private set; }
    /// <summary>The end of the deadline's brand day; after it the task expires.</summary>
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset? UrgedAt { get; set; }
    public int UrgeCount { get; set; }
    public Guid? UrgedBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public CareOutcome? Outcome { get; set; }
    public CareChannel? CompletedChannel { get; set; }
    public string? Note { get; set; }
    /// <summary>A concurrency token: completing twice at once, or completing while the expiry job runs, lets one win.</summary>
    public int Version { get; set; }
}

/// <summary>A guide who left handed their members and open tasks to a successor (recorded).</summary>
public sealed class GuideHandover
{
    private GuideHandover() { }

    public GuideHandover(Guid fromGuideId, Guid toGuideId, int members, int tasks, string actor, DateTimeOffset at)
    {
        Id = Ids.New();
        FromGuideId = fromGuideId;
        ToGuideId = toGuideId;
        Members = members;
        Tasks = tasks;
        Actor = actor;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid FromGuideId { get; private set; }
    public Guid ToGuideId { get; private set; }
    public int Members { get; private set; }
    public int Tasks { get; private set; }
    public string Actor { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

internal sealed class CareConfiguration :
    IEntityTypeConfiguration<CarePlan>, IEntityTypeConfiguration<CarePlanListMember>, IEntityTypeConfiguration<CareTask>, IEntityTypeConfiguration<GuideHandover>
{
    public void Configure(EntityTypeBuilder<CarePlan> b)
    {
        b.ToTable("care_plans");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(CarePlan.NameMaxLength).IsRequired();
        b.Property(x => x.Owner).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.TargetKind).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Schedule).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.GiftKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.GiftReference).HasMaxLength(CarePlan.GiftReferenceMaxLength);
        b.Property(x => x.Script).HasMaxLength(CarePlan.ScriptMaxLength).IsRequired();
        b.Property(x => x.LastIssuedPeriod).HasMaxLength(CareTask.PeriodMaxLength);
        b.Property(x => x.LevelFilterText).HasColumnName("level_filter").HasMaxLength(200).IsRequired();
        b.Property(x => x.StoreFilterText).HasColumnName("store_filter").HasMaxLength(20_000).IsRequired();
        b.Ignore(x => x.LevelFilter);
        b.Ignore(x => x.StoreFilter);
        b.HasIndex(x => x.OwnerGuideId);
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.OwnerGuideId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<CarePlanListMember> b)
    {
        b.ToTable("care_plan_list_members");
        b.HasKey(x => new { x.PlanId, x.MemberId });
        b.HasOne<CarePlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<CareTask> b)
    {
        b.ToTable("care_tasks");
        b.HasKey(x => x.Id);
        b.Property(x => x.Period).HasMaxLength(CareTask.PeriodMaxLength).IsRequired();
        b.HasIndex(x => new { x.PlanId, x.MemberId, x.Period }).IsUnique();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.CompletedChannel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Note).HasMaxLength(CareTask.NoteMaxLength);
        b.Property(x => x.Version).IsConcurrencyToken();
        // A guide's list in its order: urged first (the latest first), then the soonest due, then id (CareTaskRules.PageAsync).
        b.HasIndex(x => new { x.GuideId, x.Status, x.UrgedAt, x.DueAt, x.Id }).IsDescending(false, false, true, false, false);
        b.HasIndex(x => new { x.StoreId, x.Status, x.DueAt });
        b.HasIndex(x => new { x.Status, x.DueAt });
        b.HasIndex(x => new { x.PlanId, x.Period });
        b.HasIndex(x => x.IssuedAt); // the metrics' period
        b.HasIndex(x => x.MemberId);
        b.HasOne<CarePlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.GuideId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<GuideHandover> b)
    {
        b.ToTable("guide_handovers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Actor).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.FromGuideId);
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.FromGuideId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.ToGuideId).OnDelete(DeleteBehavior.Restrict);
    }
}
