using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.GroupActions;

public enum GroupActionStatus
{
    /// <summary>Recorded; waiting for the member (no one with the customer's unionid has opened the mini program yet) or for the award run.</summary>
    Pending,
    /// <summary>The points were awarded (one points lot, keyed by the action).</summary>
    Awarded,
    /// <summary>Decided without points (<see cref="GroupAction.Outcome"/> says why); final.</summary>
    NotAwarded,
    /// <summary>Awarded, then taken back because the customer deleted the guide or left the group within the rule's days.</summary>
    TakenBack,
}

/// <summary>Why an action ended without points.</summary>
public static class GroupActionOutcome
{
    public const string NoRule = "no_rule";
    public const string RulePaused = "rule_paused";
    public const string DailyCap = "daily_cap";
    public const string LifetimeCap = "lifetime_cap";
    public const string Expired = "expired";
    /// <summary>Undone (friend deleted, group left) within the take-back days before the member was known.</summary>
    public const string Undone = "undone";
}

/// <summary>
/// One group action of one customer, at most once ever: unique by (<see cref="Kind"/>, <see cref="ExternalUserId"/>,
/// <see cref="Target"/>), where the target is the guide (friend), the group (join) or the moment (like, comment). So
/// deleting and re-adding a guide, leaving and re-joining a group, or a WeCom event delivered ten times finds this row
/// and earns nothing new. The rule is copied in as it was when the action happened; the award follows that copy even
/// when the member appears later (the first log-in of a customer known only by unionid).
/// </summary>
public sealed class GroupAction
{
    public const int TargetMaxLength = WeComEvent.IdMaxLength;

    private GroupAction() { }

    public GroupAction(GroupActionKind kind, string externalUserId, string target, string? guideUserId, DateTimeOffset occurredAt,
        DateOnly brandDay, string? state, string? unionId, GroupActionRule? rule, DateTimeOffset now)
    {
        Id = Common.Ids.New();
        Kind = kind;
        ExternalUserId = externalUserId;
        Target = target;
        GuideUserId = guideUserId;
        OccurredAt = occurredAt;
        BrandDay = brandDay;
        State = state;
        UnionId = string.IsNullOrEmpty(unionId) ? null : unionId;
        RecordedAt = now;
        UpdatedAt = now;
        RuleId = rule?.Id;
        if (rule is null) return;
        RulePaused = rule.Paused;
        Points = rule.Points;
        ValidityDays = rule.ValidityDays;
        DailyCap = rule.DailyCap;
        LifetimeCap = rule.LifetimeCap;
        TakeBackWithinDays = rule.TakeBackWithinDays;
    }

    public Guid Id { get; private set; }
    public GroupActionKind Kind { get; private set; }
    /// <summary>The customer as WeCom names them.</summary>
    public string ExternalUserId { get; private set; } = "";
    /// <summary>The guide's WeCom user id (friend), the group's chat id (join), or the moment id (like, comment).</summary>
    public string Target { get; private set; } = "";
    /// <summary>The guide concerned: the friend, the group's owner, the moment's guide.</summary>
    public string? GuideUserId { get; private set; }
    /// <summary>When the customer did it (WeCom's time), in whose brand day the daily cap counts.</summary>
    public DateTimeOffset OccurredAt { get; private set; }
    public DateOnly BrandDay { get; private set; }
    /// <summary>A friend-add's contact-way state (a guide's code binds the member to that guide).</summary>
    public string? State { get; private set; }
    public string? UnionId { get; private set; }
    public Guid? MemberId { get; private set; }
    public GroupActionStatus Status { get; private set; }
    public string? Outcome { get; private set; }

    /// <summary>The rule as of the action (null: there was none).</summary>
    public Guid? RuleId { get; private set; }
    public bool RulePaused { get; private set; }
    public long Points { get; private set; }
    public int? ValidityDays { get; private set; }
    public int? DailyCap { get; private set; }
    public int? LifetimeCap { get; private set; }
    public int? TakeBackWithinDays { get; private set; }

    public Guid? PointsEntryId { get; private set; }
    public DateTimeOffset? AwardedAt { get; private set; }
    public Guid? TakeBackEntryId { get; private set; }
    public DateTimeOffset? UndoneAt { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public void LearnUnionId(string unionId) => UnionId ??= unionId;

    public void Matched(Guid memberId) => MemberId ??= memberId;

    /// <summary>True when the rule of the action takes the points back for an undoing at <paramref name="at"/>.</summary>
    public bool TakesBackAt(DateTimeOffset at) => TakeBackWithinDays is { } days && at >= OccurredAt && at - OccurredAt <= TimeSpan.FromDays(days);

    internal void Awarded(Guid entryId, DateTimeOffset now)
    {
        Status = GroupActionStatus.Awarded;
        PointsEntryId = entryId;
        AwardedAt = now;
        UpdatedAt = now;
    }

    internal void NotAwarded(string outcome, DateTimeOffset now)
    {
        Status = GroupActionStatus.NotAwarded;
        Outcome = outcome;
        UpdatedAt = now;
    }

    internal void TakenBack(Guid? entryId, DateTimeOffset undoneAt, DateTimeOffset now)
    {
        if (Status == GroupActionStatus.Pending)
        {
            NotAwarded(GroupActionOutcome.Undone, now);
        }
        else
        {
            Status = GroupActionStatus.TakenBack;
            TakeBackEntryId = entryId;
        }
        UndoneAt = undoneAt;
        UpdatedAt = now;
    }
}

/// <summary>
/// A customer (external contact) as <c>externalcontact/get</c> or a group's member list described them: the unionid
/// finds the member. Looked up once per customer (and again after a while when WeCom had no unionid).
/// </summary>
public sealed class WeComCustomer
{
    private WeComCustomer() { }

    public WeComCustomer(string externalUserId, string? unionId, string? name, DateTimeOffset now)
    {
        ExternalUserId = externalUserId;
        Learn(unionId, name, now);
    }

    public string ExternalUserId { get; private set; } = "";
    public string? UnionId { get; private set; }
    public string? Name { get; private set; }
    public DateTimeOffset FetchedAt { get; private set; }

    public void Learn(string? unionId, string? name, DateTimeOffset now)
    {
        if (!string.IsNullOrEmpty(unionId)) UnionId = unionId;
        if (!string.IsNullOrEmpty(name)) Name = name.Length > 64 ? name[..64] : name;
        FetchedAt = now;
    }
}

/// <summary>
/// A member of a customer group as the last reconciliation against <c>groupchat/get</c> saw it: present
/// (<see cref="LeftAt"/> null) or gone. A re-join after leaving sets a new join time and clears the leave.
/// </summary>
public sealed class WeComGroupMember
{
    private WeComGroupMember() { }

    public WeComGroupMember(string chatId, string userId, int type, string? unionId, DateTimeOffset joinedAt, int joinScene, DateTimeOffset now)
    {
        Id = Common.Ids.New();
        ChatId = chatId;
        UserId = userId;
        Type = type;
        UnionId = string.IsNullOrEmpty(unionId) ? null : unionId;
        JoinedAt = joinedAt;
        JoinScene = joinScene;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string ChatId { get; private set; } = "";
    /// <summary>A corp member's user id (type 1) or a customer's external user id (type 2).</summary>
    public string UserId { get; private set; } = "";
    public int Type { get; private set; }
    public string? UnionId { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }
    public int JoinScene { get; private set; }
    public DateTimeOffset? LeftAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsExternal => Type == 2;
    public bool Present => LeftAt is null;

    public void Told(string unionId, DateTimeOffset now)
    {
        UnionId = unionId;
        UpdatedAt = now;
    }

    public void Rejoined(DateTimeOffset joinedAt, int joinScene, DateTimeOffset now)
    {
        JoinedAt = joinedAt;
        JoinScene = joinScene;
        LeftAt = null;
        UpdatedAt = now;
    }

    public void Left(DateTimeOffset at, DateTimeOffset now)
    {
        LeftAt = at;
        UpdatedAt = now;
    }
}

internal sealed class GroupActionConfiguration : IEntityTypeConfiguration<GroupAction>
{
    public void Configure(EntityTypeBuilder<GroupAction> b)
    {
        b.ToTable("group_actions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.ExternalUserId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId().IsRequired();
        b.Property(x => x.Target).HasMaxLength(GroupAction.TargetMaxLength).IsWeixinId().IsRequired();
        b.Property(x => x.GuideUserId).HasMaxLength(WeComEvent.IdMaxLength);
        b.Property(x => x.State).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.UnionId).HasMaxLength(64).IsWeixinId();
        // Awarding and taking back decide on a status they read: the save checks it is still the one read.
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        b.Property(x => x.Outcome).HasMaxLength(16);
        // The award key: each action once, ever.
        b.HasIndex(x => new { x.Kind, x.ExternalUserId, x.Target }).IsUnique();
        b.HasIndex(x => new { x.Status, x.UnionId });
        // The caps are counted per member, kind and brand day.
        b.HasIndex(x => new { x.MemberId, x.Kind, x.BrandDay });
        b.HasIndex(x => x.ExternalUserId);
    }
}

internal sealed class WeComCustomerConfiguration : IEntityTypeConfiguration<WeComCustomer>
{
    public void Configure(EntityTypeBuilder<WeComCustomer> b)
    {
        b.ToTable("wecom_customers");
        b.HasKey(x => x.ExternalUserId);
        b.Property(x => x.ExternalUserId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.UnionId).HasMaxLength(64).IsWeixinId();
        b.Property(x => x.Name).HasMaxLength(64);
        b.HasIndex(x => x.UnionId);
    }
}

internal sealed class WeComGroupMemberConfiguration : IEntityTypeConfiguration<WeComGroupMember>
{
    public void Configure(EntityTypeBuilder<WeComGroupMember> b)
    {
        b.ToTable("wecom_group_members");
        b.HasKey(x => x.Id);
        b.Property(x => x.ChatId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId().IsRequired();
        b.Property(x => x.UserId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId().IsRequired();
        b.Property(x => x.UnionId).HasMaxLength(64).IsWeixinId();
        b.HasIndex(x => new { x.ChatId, x.UserId }).IsUnique();
        b.HasIndex(x => x.UserId);
        b.Ignore(x => x.IsExternal);
        b.Ignore(x => x.Present);
    }
}
