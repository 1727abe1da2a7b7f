using Guide.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Messaging;

/// <summary>How a message reaches a member: a mini-program subscribe message, WeCom (sent by the member's guide) or SMS.</summary>
public enum MessageChannel { Subscribe, WeCom, Sms }

/// <summary>
/// Service (payment, refund, pickup ready: never capped), account (points and wallet changes: capped when HQ says so) or
/// marketing (always capped, and only to members who did not unsubscribe from the channel).
/// </summary>
public enum MessageKind { Service, Account, Marketing }

/// <summary>
/// An outbound message's life: queued (waiting for the drain, maybe postponed by quiet hours), sending (passed the gate, handed
/// to the channel), awaiting the guide (WeCom: on the guide's workbench), sent; or blocked by the gate (with a reason), or failed
/// (the channel refused it for good, retries ran out, or an instance died while sending: never sent twice).
/// </summary>
public enum MessageStatus { Queued, Sending, AwaitingGuide, Sent, Blocked, Failed }

/// <summary>
/// What a template is for when the system sends it on its own (the first users of the gateway); campaigns pick templates
/// without a purpose. At most one template per purpose.
/// </summary>
public enum MessagePurpose { PointsExpiring, RechargeSucceeded, RechargeRefunded, PickupReady }

/// <summary>Why the gate (or the channel) did not deliver a message.</summary>
public enum MessageBlockReason
{
    /// <summary>A fatigue window of ours is full (the detail names it).</summary>
    Cap,
    /// <summary>WeCom's own limit: a customer receives at most as many enterprise broadcasts a month as the month has days.</summary>
    WeComMonthlyLimit,
    /// <summary>The member unsubscribed from marketing on the channel.</summary>
    Unsubscribed,
    /// <summary>No accepted one-time subscription of the template left (one acceptance = one message).</summary>
    NoSubscribeQuota,
    /// <summary>Quiet hours with the drop action.</summary>
    QuietHours,
    /// <summary>A do-not-disturb holiday with the drop action.</summary>
    Holiday,
    /// <summary>WeCom: the member has no active exclusive guide to send it.</summary>
    NoGuide,
    /// <summary>SMS: the member has no phone number.</summary>
    NoPhone,
    /// <summary>The message's template was deactivated before it was sent.</summary>
    TemplateInactive,
}

/// <summary>
/// One message to one member on one channel: the outbox row. <see cref="SourceKey"/> is the fact it comes from (a recharge,
/// a refund, a campaign and member, a day's points reminder) and is unique: the same fact never queues a second message.
/// </summary>
public sealed class OutboundMessage
{
    public const int SourceKeyMaxLength = 160;
    public const int TextMaxLength = 1000;
    public const int PageMaxLength = 256;
    public const int DetailMaxLength = 200;
    public const int ErrorMaxLength = 500;

    private OutboundMessage() { }

    public OutboundMessage(Guid memberId, MessageChannel channel, MessageKind kind, string sourceKey, Guid? templateId, string? dataJson,
        string? text, string? page, Guid? campaignId, int priority, DateTimeOffset now, DateTimeOffset? notBefore = null)
    {
        Id = Guid.NewGuid();
        MemberId = memberId;
        Channel = channel;
        Kind = kind;
        SourceKey = sourceKey;
        TemplateId = templateId;
        DataJson = dataJson;
        Text = text;
        Page = page;
        CampaignId = campaignId;
        Priority = priority;
        Status = MessageStatus.Queued;
        CreatedAt = now;
        NotBefore = notBefore ?? now;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public MessageChannel Channel { get; private set; }
    public MessageKind Kind { get; private set; }
    public string SourceKey { get; private set; } = "";
    /// <summary>The HQ template (subscribe and SMS messages).</summary>
    public Guid? TemplateId { get; private set; }
    /// <summary>The template's values by key (<c>{"thing1":"..."}</c>), JSON.</summary>
    public string? DataJson { get; private set; }
    /// <summary>The text of a WeCom message (and of an SMS without template values).</summary>
    public string? Text { get; private set; }
    /// <summary>The mini-program page a subscribe message opens.</summary>
    public string? Page { get; private set; }
    public Guid? CampaignId { get; private set; }
    /// <summary>Higher first when the drain picks messages (and so when capacity is short).</summary>
    public int Priority { get; private set; }
    public MessageStatus Status { get; set; }
    public MessageBlockReason? Reason { get; set; }
    /// <summary>Which window, which quiet hours, what the channel answered.</summary>
    public string? Detail { get; set; }
    /// <summary>Not sent before this instant (quiet hours postpone it, a transient failure backs it off).</summary>
    public DateTimeOffset NotBefore { get; set; }
    public int Attempts { get; set; }
    /// <summary>The instance draining it and until when (a crashed instance's claim runs out).</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    /// <summary>WeCom: the guide whose workbench holds it.</summary>
    public Guid? GuideId { get; set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? GatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Version { get; set; }

    /// <summary>The drain lets go of the message (a new version): no instance holds it until it is claimed again.</summary>
    internal void ReleaseLease()
    {
        LeaseOwner = null;
        LeaseUntil = null;
        Version++;
    }
}

/// <summary>
/// One touch (触达): a capped message that passed the gate, counted by the fatigue windows. One per message (unique), at the
/// instant it passed and on its brand day (calendar windows count days).
/// </summary>
public sealed class Touch
{
    private Touch() { }

    public Touch(Guid memberId, MessageChannel channel, Guid messageId, Guid? campaignId, DateTimeOffset at, DateOnly day)
    {
        Id = Guid.NewGuid();
        MemberId = memberId;
        Channel = channel;
        MessageId = messageId;
        CampaignId = campaignId;
        At = at;
        Day = day;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public MessageChannel Channel { get; private set; }
    public Guid MessageId { get; private set; }
    public Guid? CampaignId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public DateOnly Day { get; private set; }
}

/// <summary>
/// A member's consent to marketing per channel (subscribed unless they unsubscribed; only the member re-subscribes). The row is
/// also the gate's lock per member: a capped message locks it before counting the member's touches, so two instances sending
/// to one member queue on it and cannot both pass a cap of 1. Guide contact (care tasks) lives on <see cref="Member"/>.
/// </summary>
public sealed class MemberMessageConsent
{
    private MemberMessageConsent() { }

    public MemberMessageConsent(Guid memberId, DateTimeOffset now)
    {
        MemberId = memberId;
        UpdatedAt = now;
    }

    public Guid MemberId { get; private set; }
    public bool SubscribeMarketing { get; set; } = true;
    public bool WeComMarketing { get; set; } = true;
    public bool SmsMarketing { get; set; } = true;
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }

    public bool Allows(MessageChannel channel) => channel switch
    {
        MessageChannel.Subscribe => SubscribeMarketing,
        MessageChannel.WeCom => WeComMarketing,
        MessageChannel.Sms => SmsMarketing,
        _ => false,
    };
}

/// <summary>
/// The one-time subscriptions a member accepted for a WeChat template (<c>wx.requestSubscribeMessage</c>): each acceptance
/// allows one message of that template; a sent message uses one.
/// </summary>
public sealed class SubscribeQuota
{
    private SubscribeQuota() { }

    public SubscribeQuota(Guid memberId, string weixinTemplateId, DateTimeOffset now)
    {
        MemberId = memberId;
        WeixinTemplateId = weixinTemplateId;
        UpdatedAt = now;
    }

    public Guid MemberId { get; private set; }
    public string WeixinTemplateId { get; private set; } = "";
    public int Remaining { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A template HQ configured: a subscribe message template (WeChat's template id, its keys, the page it opens) or an SMS
/// template (the provider's template code and its parameters), with the kind of message it carries.
/// </summary>
public sealed class MessageTemplate
{
    public const int NameMaxLength = 64;
    public const int ExternalIdMaxLength = 128;
    public const int KeysMaxLength = 500;

    private MessageTemplate() { }

    public MessageTemplate(string name, MessageChannel channel, MessageKind kind, string externalId, IReadOnlyList<string> keys, string? page,
        DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Name = name;
        Channel = channel;
        Kind = kind;
        ExternalId = externalId;
        Keys = string.Join(",", keys);
        Page = page;
        Active = true;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; set; } = "";
    public MessageChannel Channel { get; private set; }
    public MessageKind Kind { get; set; }
    /// <summary>WeChat's template id, or the SMS provider's template code.</summary>
    public string ExternalId { get; set; } = "";
    /// <summary>The template's value keys, comma-separated (<c>thing1,time2</c>).</summary>
    public string Keys { get; set; } = "";
    public string? Page { get; set; }
    /// <summary>The system message it carries (points expiring, recharge succeeded...), or none (a campaign's template).</summary>
    public MessagePurpose? Purpose { get; set; }
    public bool Active { get; set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public IReadOnlyList<string> KeyList => SplitKeys(Keys);

    /// <summary>The stored comma-separated keys as a list (none for an empty text).</summary>
    public static IReadOnlyList<string> SplitKeys(string keys) => keys.Length == 0 ? [] : keys.Split(',');
}

/// <summary>HQ's fatigue rules (<see cref="FatigueRules"/>) as one JSON document with a version; one row.</summary>
public sealed class FatigueSettings
{
    public const int SingletonId = 1;

    private FatigueSettings() { }

    public int Id { get; private set; }
    public string Json { get; set; } = "";
    public int Version { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class OutboundMessageConfiguration : IEntityTypeConfiguration<OutboundMessage>
{
    public void Configure(EntityTypeBuilder<OutboundMessage> b)
    {
        b.ToTable("outbound_messages");
        b.HasKey(x => x.Id);
        b.Property(x => x.SourceKey).HasMaxLength(OutboundMessage.SourceKeyMaxLength).IsRequired();
        b.HasIndex(x => x.SourceKey).IsUnique();
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Detail).HasMaxLength(OutboundMessage.DetailMaxLength);
        b.Property(x => x.Text).HasMaxLength(OutboundMessage.TextMaxLength);
        b.Property(x => x.Page).HasMaxLength(OutboundMessage.PageMaxLength);
        b.Property(x => x.DataJson).HasMaxLength(4000);
        b.Property(x => x.LeaseOwner).HasMaxLength(64);
        b.Property(x => x.Version).IsConcurrencyToken();
        // The drain's claim walks this in its order (highest priority, then the oldest due) and stops after a batch: no sort of every
        // queued message (100,000 queued: 0.5 s a claim with an index on (Status, NotBefore, Priority), 12 ms with this one).
        b.HasIndex(x => new { x.Status, x.Priority, x.NotBefore, x.Id }).IsDescending(false, true, false, false);
        // The claim reads back what it took.
        b.HasIndex(x => x.LeaseOwner);
        b.HasIndex(x => new { x.CampaignId, x.Status });
        b.HasIndex(x => new { x.GuideId, x.Status });
        b.HasIndex(x => x.MemberId);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TouchConfiguration : IEntityTypeConfiguration<Touch>
{
    public void Configure(EntityTypeBuilder<Touch> b)
    {
        b.ToTable("touches");
        b.HasKey(x => x.Id);
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => x.MessageId).IsUnique();
        // The windows count one member's touches by instant (rolling) or by brand day (calendar).
        b.HasIndex(x => new { x.MemberId, x.At });
        b.HasIndex(x => new { x.MemberId, x.Day });
        b.HasIndex(x => x.CampaignId);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MemberMessageConsentConfiguration : IEntityTypeConfiguration<MemberMessageConsent>
{
    public void Configure(EntityTypeBuilder<MemberMessageConsent> b)
    {
        b.ToTable("member_message_consents");
        b.HasKey(x => x.MemberId);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SubscribeQuotaConfiguration : IEntityTypeConfiguration<SubscribeQuota>
{
    public void Configure(EntityTypeBuilder<SubscribeQuota> b)
    {
        b.ToTable("subscribe_quotas");
        b.HasKey(x => new { x.MemberId, x.WeixinTemplateId });
        b.Property(x => x.WeixinTemplateId).HasMaxLength(MessageTemplate.ExternalIdMaxLength);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> b)
    {
        b.ToTable("message_templates");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(MessageTemplate.NameMaxLength).IsRequired();
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ExternalId).HasMaxLength(MessageTemplate.ExternalIdMaxLength).IsRequired();
        b.Property(x => x.Keys).HasMaxLength(MessageTemplate.KeysMaxLength).IsRequired();
        b.Property(x => x.Page).HasMaxLength(OutboundMessage.PageMaxLength);
        b.Ignore(x => x.KeyList);
        b.HasIndex(x => new { x.Channel, x.ExternalId }).IsUnique();
        b.Property(x => x.Purpose).HasConversion<string>().HasMaxLength(32);
        b.HasIndex(x => new { x.Purpose, x.Channel }).IsUnique();
    }
}

internal sealed class FatigueSettingsConfiguration : IEntityTypeConfiguration<FatigueSettings>
{
    public void Configure(EntityTypeBuilder<FatigueSettings> b)
    {
        b.ToTable("fatigue_settings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Json).HasMaxLength(20_000).IsRequired();
        b.Property(x => x.UpdatedBy).HasMaxLength(64);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasData(new { Id = FatigueSettings.SingletonId, Json = FatigueRules.DefaultJson, Version = 0 });
    }
}
