using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.GroupActions;

/// <summary>What a customer did in WeCom that a rule may reward (群行为).</summary>
public enum GroupActionKind
{
    /// <summary>The customer added a guide as a WeCom friend (<c>add_external_contact</c>).</summary>
    AddGuideFriend,
    /// <summary>The customer joined a customer group (found by reconciling the group's members).</summary>
    JoinCustomerGroup,
    /// <summary>The customer liked a guide's moment (found by polling).</summary>
    LikeMoment,
    /// <summary>The customer commented on a guide's moment (found by polling).</summary>
    CommentMoment,
    /// <summary>The built-in purchase rule: points of paid sales documents, set in the points settings.</summary>
    Purchase,
}

/// <summary>
/// HQ's rule for one kind of group action: how many points, how long they stay valid, how often a member may
/// earn them (per brand day, per lifetime, counted in awards), whether it is paused, and whether the points are
/// taken back when the customer deletes the guide or leaves the group within N days. One live rule per kind
/// (<see cref="LiveKind"/> is unique; a deleted rule frees it). Each action keeps a copy of the rule as it was
/// when the action happened (<see cref="GroupAction"/>), so a pending award follows the rule of its time.
/// </summary>
public sealed class GroupActionRule
{
    public const int NameMaxLength = 64;
    public const long MaxPoints = 1_000_000;
    public const int MaxValidityDays = 3650;
    public const int MaxCap = 10_000;
    public const int MaxTakeBackDays = 365;

    /// <summary>The built-in purchase rule's id: listed with the custom rules, never stored, never deleted.</summary>
    public static readonly Guid PurchaseRuleId = new("00000000-0000-0000-0000-0000000000b1");

    private GroupActionRule() { }

    public GroupActionRule(GroupActionKind kind, string name, long points, int? validityDays, int? dailyCap, int? lifetimeCap,
        bool paused, int? takeBackWithinDays, DateTimeOffset now)
    {
        Id = Common.Ids.New();
        Kind = kind;
        LiveKind = kind;
        CreatedAt = now;
        Change(name, points, validityDays, dailyCap, lifetimeCap, paused, takeBackWithinDays, now);
    }

    public Guid Id { get; private set; }
    public GroupActionKind Kind { get; private set; }
    /// <summary><see cref="Kind"/> while the rule is live, null once deleted: the unique index allows one live rule per kind.</summary>
    public GroupActionKind? LiveKind { get; private set; }
    public string Name { get; private set; } = "";
    public long Points { get; private set; }
    /// <summary>Days the points stay valid from the action; null: the points settings' expiry policy.</summary>
    public int? ValidityDays { get; private set; }
    /// <summary>Awards per member per brand day (of the action); null: no cap.</summary>
    public int? DailyCap { get; private set; }
    /// <summary>Awards per member ever; null: no cap.</summary>
    public int? LifetimeCap { get; private set; }
    public bool Paused { get; private set; }
    /// <summary>Take the points back when the customer deletes the guide / leaves the group within this many days; null: never.</summary>
    public int? TakeBackWithinDays { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    public static bool CanTakeBack(GroupActionKind kind) => kind is GroupActionKind.AddGuideFriend or GroupActionKind.JoinCustomerGroup;

    public static bool IsCustom(GroupActionKind kind) => kind != GroupActionKind.Purchase;

    public void Change(string name, long points, int? validityDays, int? dailyCap, int? lifetimeCap, bool paused, int? takeBackWithinDays,
        DateTimeOffset now)
    {
        Name = name;
        Points = points;
        ValidityDays = validityDays;
        DailyCap = dailyCap;
        LifetimeCap = lifetimeCap;
        Paused = paused;
        TakeBackWithinDays = takeBackWithinDays;
        UpdatedAt = now;
    }

    public void Delete(DateTimeOffset now)
    {
        DeletedAt = now;
        LiveKind = null;
        UpdatedAt = now;
    }
}

internal sealed class GroupActionRuleConfiguration : IEntityTypeConfiguration<GroupActionRule>
{
    public void Configure(EntityTypeBuilder<GroupActionRule> b)
    {
        b.ToTable("group_action_rules");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.LiveKind).HasConversion<string>().HasMaxLength(24);
        b.HasIndex(x => x.LiveKind).IsUnique();
        b.Property(x => x.Name).HasMaxLength(GroupActionRule.NameMaxLength).IsRequired();
    }
}
