using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.GroupActions;

/// <summary>
/// A verified WeCom callback event, stored as it arrived and processed after WeCom has had its answer (WeCom
/// waits 5 seconds, then retries). <see cref="DedupKey"/> is made from the event itself and is unique, so a
/// redelivered event (a retry, or two concurrent deliveries) finds the first row and stores nothing new.
/// </summary>
public sealed class WeComEvent
{
    public const int DedupKeyMaxLength = 191;
    public const int IdMaxLength = 128;

    private WeComEvent() { }

    public WeComEvent(WeComEventFacts facts, DateTimeOffset receivedAt)
    {
        Id = Common.Ids.New();
        DedupKey = facts.DedupKey;
        Event = facts.Event;
        ChangeType = facts.ChangeType;
        UserId = facts.UserId;
        ExternalUserId = facts.ExternalUserId;
        State = facts.State;
        ChatId = facts.ChatId;
        UpdateDetail = facts.UpdateDetail;
        JoinScene = facts.JoinScene;
        QuitScene = facts.QuitScene;
        MemChangeCount = facts.MemChangeCount;
        CreatedAt = facts.CreatedAt;
        Xml = facts.Xml;
        ReceivedAt = receivedAt;
    }

    public Guid Id { get; private set; }
    public string DedupKey { get; private set; } = "";
    /// <summary><c>Event</c>: <c>change_external_contact</c>, <c>change_external_chat</c>, or another kind kept as it came.</summary>
    public string Event { get; private set; } = "";
    public string? ChangeType { get; private set; }
    /// <summary>The guide's WeCom user id (<c>UserID</c>).</summary>
    public string? UserId { get; private set; }
    public string? ExternalUserId { get; private set; }
    /// <summary>The contact way's <c>State</c> (first add only): names the guide's QR code the customer scanned.</summary>
    public string? State { get; private set; }
    public string? ChatId { get; private set; }
    public string? UpdateDetail { get; private set; }
    public int? JoinScene { get; private set; }
    public int? QuitScene { get; private set; }
    public int? MemChangeCount { get; private set; }
    /// <summary>The event's <c>CreateTime</c> (WeCom's clock), the order events are processed in.</summary>
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The decrypted event XML, kept whole so that a later part can read what we do not parse yet.</summary>
    public string Xml { get; private set; } = "";
    public DateTimeOffset ReceivedAt { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }
    /// <summary>What processing did (<see cref="WeComEventOutcome"/>), for the record.</summary>
    public string? Outcome { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    internal void Processed(string outcome) => Outcome = outcome;
}

/// <summary>What processing made of an event.</summary>
public static class WeComEventOutcome
{
    public const string ContactAdded = "contact_added";
    public const string ContactDeleted = "contact_deleted";
    public const string GroupMarked = "group_marked";
    public const string Ignored = "ignored";
}

internal sealed class WeComEventConfiguration : IEntityTypeConfiguration<WeComEvent>
{
    public void Configure(EntityTypeBuilder<WeComEvent> b)
    {
        b.ToTable("wecom_events");
        b.HasKey(x => x.Id);
        b.Property(x => x.DedupKey).HasMaxLength(WeComEvent.DedupKeyMaxLength).IsWeixinId();
        b.HasIndex(x => x.DedupKey).IsUnique();
        b.Property(x => x.Event).HasMaxLength(64);
        b.Property(x => x.ChangeType).HasMaxLength(64);
        b.Property(x => x.UserId).HasMaxLength(WeComEvent.IdMaxLength);
        b.Property(x => x.ExternalUserId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.State).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.ChatId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.UpdateDetail).HasMaxLength(64);
        b.Property(x => x.Outcome).HasMaxLength(32);
        b.Property(x => x.LastError).HasMaxLength(1024);
        // The processing run reads the unprocessed ones in event order.
        b.HasIndex(x => new { x.ProcessedAt, x.CreatedAt });
    }
}
