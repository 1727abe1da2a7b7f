using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.GroupActions;

/// <summary>
/// A moment (朋友圈) found by listing <c>get_moment_list</c>. WeCom has no callback for likes and comments, and they
/// keep coming after the moment is posted, so every recent moment is polled again and again
/// (<see cref="LastPolledAt"/> oldest first); its actions are recorded by the moment id, once each ever.
/// </summary>
public sealed class WeComMoment
{
    private WeComMoment() { }

    public WeComMoment(string momentId, string? creatorUserId, DateTimeOffset createdAt, DateTimeOffset now)
    {
        MomentId = momentId;
        CreatorUserId = string.IsNullOrEmpty(creatorUserId) ? null : creatorUserId;
        CreatedAt = createdAt;
        DiscoveredAt = now;
    }

    public string MomentId { get; private set; } = "";
    /// <summary>The guide who posted it; null for a moment the corp posted (not polled: see <see cref="MomentPollRun"/>).</summary>
    public string? CreatorUserId { get; private set; }
    /// <summary>WeCom's create time.</summary>
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset DiscoveredAt { get; private set; }
    public DateTimeOffset? LastPolledAt { get; private set; }
    public int PolledCount { get; private set; }

    public void Polled(DateTimeOffset now)
    {
        LastPolledAt = now;
        PolledCount++;
    }
}

/// <summary>
/// Where the moment listing stands (one row, absent before the first run). Everything created up to
/// <see cref="ListedUntil"/> has been listed; a window being listed is kept with the cursor of its next page, so a
/// crash between pages goes on at that page with the same query (a cursor belongs to its start and end time).
/// <see cref="Version"/> counts the saves: a page read under another version (a second run got there first) is not
/// applied.
/// </summary>
public sealed class WeComMomentPoll
{
    public const int SingletonId = 1;
    public const int CursorMaxLength = 256;

    private WeComMomentPoll() { }

    public WeComMomentPoll(DateTimeOffset listedUntil, DateTimeOffset now)
    {
        Id = SingletonId;
        ListedUntil = listedUntil;
        UpdatedAt = now;
    }

    public int Id { get; private set; }
    /// <summary>The end of the last window listed to its last page.</summary>
    public DateTimeOffset ListedUntil { get; private set; }
    public DateTimeOffset? WindowStart { get; private set; }
    public DateTimeOffset? WindowEnd { get; private set; }
    /// <summary>The cursor of the window's next page (null with no window in progress).</summary>
    public string? Cursor { get; private set; }
    public int Version { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool InWindow => WindowStart is not null && WindowEnd is not null && Cursor is not null;

    /// <summary>A page of [start, end] was listed: the window goes on at <paramref name="nextCursor"/>, or (null) is done.</summary>
    public void PageListed(DateTimeOffset start, DateTimeOffset end, string? nextCursor, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(nextCursor))
        {
            if (end > ListedUntil) ListedUntil = end;
            WindowStart = WindowEnd = null;
            Cursor = null;
        }
        else
        {
            WindowStart = start;
            WindowEnd = end;
            Cursor = nextCursor;
        }
        Version++;
        UpdatedAt = now;
    }
}

internal sealed class WeComMomentConfiguration : IEntityTypeConfiguration<WeComMoment>
{
    public void Configure(EntityTypeBuilder<WeComMoment> b)
    {
        b.ToTable("wecom_moments");
        b.HasKey(x => x.MomentId);
        b.Property(x => x.MomentId).HasMaxLength(WeComEvent.IdMaxLength).IsWeixinId();
        b.Property(x => x.CreatorUserId).HasMaxLength(WeComEvent.IdMaxLength);
        // The poll picks the recent moments (created within the poll's days), least recently polled first.
        b.HasIndex(x => x.CreatedAt);
        b.HasIndex(x => x.LastPolledAt);
    }
}

internal sealed class WeComMomentPollConfiguration : IEntityTypeConfiguration<WeComMomentPoll>
{
    public void Configure(EntityTypeBuilder<WeComMomentPoll> b)
    {
        b.ToTable("wecom_moment_polls");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Cursor).HasMaxLength(WeComMomentPoll.CursorMaxLength);
        // Two runs saving the same page: the later save matches no row, and its retry finds the version moved on.
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.InWindow);
    }
}
