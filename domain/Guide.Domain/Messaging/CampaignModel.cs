using System.Globalization;
using Guide.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Messaging;

/// <summary>
/// A campaign's life: a draft (its audience estimated as often as HQ likes), sending (its audience being written to the
/// outbox, batch by batch, resumable), sent (every member of the audience queued once; the drain gates and delivers).
/// </summary>
public enum CampaignStatus { Draft, Sending, Sent }

/// <summary>
/// Who a campaign reaches: every condition set must hold (none set: every member). Levels are ranks; stores are the member's
/// store; guides the member's exclusive guide; the birthday month 1-12; the last purchase (a sale document) within or not
/// within a number of days before the estimate or the send; the points balance within a range; or the imported list
/// (<c>POST /api/admin/campaigns/{id}/members</c>).
/// </summary>
public sealed record CampaignAudience(IReadOnlyList<int>? Levels = null, IReadOnlyList<Guid>? StoreIds = null, IReadOnlyList<Guid>? GuideIds = null,
    int? BirthdayMonth = null, CampaignLastPurchase? LastPurchase = null, long? PointsMin = null, long? PointsMax = null, bool ImportedList = false);

/// <summary>Purchased (a sale) within the last <see cref="WithinDays"/> days, or not within the last <see cref="NotWithinDays"/> days (one of them).</summary>
public sealed record CampaignLastPurchase(int? WithinDays = null, int? NotWithinDays = null);

/// <summary>
/// A marketing campaign of HQ's: its audience, its channel and template or text, its priority (the higher one wins when a
/// member's cap is short), an optional send time, and how far its send got (<see cref="LastMemberId"/>: the members are
/// queued in member id order, so a send that stopped resumes after the last member it queued).
/// </summary>
public sealed class Campaign
{
    public const int NameMaxLength = 100;

    private Campaign() { }

    public Campaign(string name, MessageChannel channel, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Name = name;
        Channel = channel;
        Status = CampaignStatus.Draft;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; set; } = "";
    public MessageChannel Channel { get; private set; }
    public Guid? TemplateId { get; set; }
    public string? DataJson { get; set; }
    public string? Text { get; set; }
    public int Priority { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>Level ranks, comma-separated ("" = any).</summary>
    public string Levels { get; set; } = "";
    public string StoreIds { get; set; } = "";
    public string GuideIds { get; set; } = "";
    public int? BirthdayMonth { get; set; }
    public int? PurchasedWithinDays { get; set; }
    public int? NotPurchasedWithinDays { get; set; }
    public long? PointsMin { get; set; }
    public long? PointsMax { get; set; }
    public bool ImportedList { get; set; }
    public int ImportedMembers { get; set; }

    public CampaignStatus Status { get; set; }
    /// <summary>The audience's size when the send started.</summary>
    public int? AudienceCount { get; set; }
    /// <summary>Messages the send wrote to the outbox.</summary>
    public int QueuedCount { get; set; }
    /// <summary>The last member (in id order) the send queued: it resumes after it.</summary>
    public Guid? LastMemberId { get; set; }
    /// <summary>When the send last made progress (a send silent for a minute is resumed by the job).</summary>
    public DateTimeOffset? ProgressAt { get; set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SendStartedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Version { get; set; }

    public CampaignAudience Audience => new(
        Split(Levels, s => int.Parse(s, CultureInfo.InvariantCulture)), Split(StoreIds, Guid.Parse), Split(GuideIds, Guid.Parse), BirthdayMonth,
        PurchasedWithinDays is null && NotPurchasedWithinDays is null ? null : new CampaignLastPurchase(PurchasedWithinDays, NotPurchasedWithinDays),
        PointsMin, PointsMax, ImportedList);

    public void SetAudience(CampaignAudience a)
    {
        Levels = string.Join(",", (a.Levels ?? []).Distinct().Order().Select(l => l.ToString(CultureInfo.InvariantCulture)));
        StoreIds = string.Join(",", (a.StoreIds ?? []).Distinct().Select(g => g.ToString("D")));
        GuideIds = string.Join(",", (a.GuideIds ?? []).Distinct().Select(g => g.ToString("D")));
        BirthdayMonth = a.BirthdayMonth;
        PurchasedWithinDays = a.LastPurchase?.WithinDays;
        NotPurchasedWithinDays = a.LastPurchase?.NotWithinDays;
        PointsMin = a.PointsMin;
        PointsMax = a.PointsMax;
        ImportedList = a.ImportedList;
    }

    private static List<T> Split<T>(string s, Func<string, T> parse) => s.Length == 0 ? [] : s.Split(',').Select(parse).ToList();
}

/// <summary>A member of a campaign's imported list.</summary>
public sealed class CampaignMember
{
    private CampaignMember() { }

    public CampaignMember(Guid campaignId, Guid memberId, int line)
    {
        CampaignId = campaignId;
        MemberId = memberId;
        Line = line;
    }

    public Guid CampaignId { get; private set; }
    public Guid MemberId { get; private set; }
    /// <summary>The CSV line it came from.</summary>
    public int Line { get; private set; }
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.ToTable("campaigns");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(Campaign.NameMaxLength).IsRequired();
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Text).HasMaxLength(OutboundMessage.TextMaxLength);
        b.Property(x => x.DataJson).HasMaxLength(4000);
        b.Property(x => x.Levels).HasMaxLength(400).IsRequired();
        // Up to 500 ids of 36 characters each: text, not varchar.
        b.Property(x => x.StoreIds).IsRequired();
        b.Property(x => x.GuideIds).IsRequired();
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Audience);
        b.HasIndex(x => x.CreatedAt);
        b.HasIndex(x => new { x.Status, x.ProgressAt });
        b.HasOne<MessageTemplate>().WithMany().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CampaignMemberConfiguration : IEntityTypeConfiguration<CampaignMember>
{
    public void Configure(EntityTypeBuilder<CampaignMember> b)
    {
        b.ToTable("campaign_members");
        b.HasKey(x => new { x.CampaignId, x.MemberId });
        b.HasOne<Campaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
