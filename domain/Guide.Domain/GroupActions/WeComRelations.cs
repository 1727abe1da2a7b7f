using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.GroupActions;

/// <summary>
/// A guide (WeCom user id) and a customer (external user id) as WeCom's contact events describe them. The
/// latest add and the latest deletion are kept, each as the later of what is known, so events applied in any
/// order (WeCom reorders, and a retry may arrive after a newer event) end in the same row: the relation holds
/// while <see cref="AddedAt"/> is after <see cref="DeletedAt"/>.
/// </summary>
public sealed class WeComExternalContact
{
    private WeComExternalContact() { }

    public WeComExternalContact(string userId, string externalUserId, DateTimeOffset now)
    {
        Id = Common.Ids.New();
        UserId = userId;
        ExternalUserId = externalUserId;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string ExternalUserId { get; private set; } = "";
    /// <summary>The contact way's state of the first add that carried one (the guide's QR code).</summary>
    public string? State { get; private set; }
    public DateTimeOffset? AddedAt { get; private set; }
    /// <summary>True when the latest add was the customer's without verification (<c>add_half_external_contact</c>).</summary>
    public bool HalfAdded { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    /// <summary><c>guide</c> (del_external_contact) or <c>customer</c> (del_follow_user), of the latest deletion.</summary>
    public string? DeletedBy { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool Active => AddedAt is { } added && (DeletedAt is not { } deleted || added > deleted);

    public void Added(DateTimeOffset at, string? state, bool half, DateTimeOffset now)
    {
        State ??= state;
        if (AddedAt is { } known && known >= at) return;
        AddedAt = at;
        HalfAdded = half;
        UpdatedAt = now;
    }

    public void Deleted(DateTimeOffset at, string by, DateTimeOffset now)
    {
        if (DeletedAt is { } known && known >= at) return;
        DeletedAt = at;
        DeletedBy = by;
        UpdatedAt = now;
    }
}

/// <summary>
/// A customer group (客户群) known from a chat event. Chat events can be lost or reordered, so an event only
/// marks the group for reconciliation against <c>groupchat/get</c> (which also names its owner).
/// </summary>
public sealed class WeComCustomerGroup
{
    private WeComCustomerGroup() { }

    public WeComCustomerGroup(string chatId, DateTimeOffset now)
    {
        Id = Common.Ids.New();
        ChatId = chatId;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public string ChatId { get; private set; } = "";
    /// <summary>The owner guide's WeCom user id: unknown until reconciled.</summary>
    public string? OwnerUserId { get; private set; }
    public bool NeedsReconcile { get; private set; }
    /// <summary>The latest event's time (WeCom's clock).</summary>
    public DateTimeOffset? LastEventAt { get; private set; }
    public DateTimeOffset? DismissedAt { get; private set; }
    public DateTimeOffset? ReconciledAt { get; private set; }
    /// <summary>
    /// Counts the events that marked the group: a reconciliation clears <see cref="NeedsReconcile"/> only when no event
    /// came while it was reading the group from WeCom (the count it started with is still the count).
    /// </summary>
    public int ChangeCount { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Changed(DateTimeOffset at, bool dismissed, DateTimeOffset now)
    {
        NeedsReconcile = true;
        ChangeCount++;
        if (LastEventAt is not { } last || at > last) LastEventAt = at;
        if (dismissed && (DismissedAt is not { } gone || at > gone)) DismissedAt = at;
        UpdatedAt = now;
    }

    /// <summary>Reconciled against a read that began when <see cref="ChangeCount"/> was <paramref name="changeCountRead"/>.</summary>
    public void Reconciled(string? ownerUserId, bool dismissed, int changeCountRead, DateTimeOffset now)
    {
        if (!string.IsNullOrEmpty(ownerUserId)) OwnerUserId = ownerUserId;
        if (dismissed) DismissedAt ??= now;
        if (ChangeCount == changeCountRead) NeedsReconcile = false;
        ReconciledAt = now;
        UpdatedAt = now;
    }

    /// <summary>Marks the group for the next reconciliation (the periodic one: callbacks can be lost).</summary>
    public void Due(DateTimeOffset now)
    {
        NeedsReconcile = true;
        UpdatedAt = now;
    }
}

internal sealed class WeComExternalContactConfiguration : IEntityTypeConfiguration<WeComExternalContact>
{
    public void Configure(EntityTypeBuilder<WeComExternalContact> b)
    {
        b.ToTable("wecom_external_contacts");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserId).HasMaxLength(WeComEvent.IdMaxLength);
        b.Property(x => x.ExternalUserId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.State).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.DeletedBy).HasMaxLength(16);
        b.HasIndex(x => new { x.UserId, x.ExternalUserId }).IsUnique();
        b.HasIndex(x => x.ExternalUserId);
        b.Ignore(x => x.Active);
    }
}

internal sealed class WeComCustomerGroupConfiguration : IEntityTypeConfiguration<WeComCustomerGroup>
{
    public void Configure(EntityTypeBuilder<WeComCustomerGroup> b)
    {
        b.ToTable("wecom_customer_groups");
        b.HasKey(x => x.Id);
        b.Property(x => x.ChatId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.OwnerUserId).HasMaxLength(WeComEvent.IdMaxLength);
        b.HasIndex(x => x.ChatId).IsUnique();
        b.HasIndex(x => x.NeedsReconcile);
    }
}
