using System.Collections.Concurrent;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

/// <summary>A member due a reminder: points expiring by <see cref="EarliestExpiry"/> and later within the window.</summary>
public sealed record PointsExpiryReminder(Guid MemberId, long Points, DateTimeOffset EarliestExpiry, DateOnly Day);

/// <summary>Where the daily reminder job hands its members (the message gateway will implement it).</summary>
public interface IPointsExpiryReminders
{
    Task RemindAsync(PointsExpiryReminder reminder, CancellationToken cancellationToken);
}

/// <summary>Until the gateway lands: records who was due a reminder, once per member and brand day.</summary>
public sealed class RecordingPointsExpiryReminders : IPointsExpiryReminders
{
    private readonly ConcurrentDictionary<(Guid, DateOnly), PointsExpiryReminder> _recorded = new();

    public IReadOnlyCollection<PointsExpiryReminder> Recorded => _recorded.Values.ToList();

    public Task RemindAsync(PointsExpiryReminder reminder, CancellationToken cancellationToken)
    {
        _recorded.TryAdd((reminder.MemberId, reminder.Day), reminder);
        return Task.CompletedTask;
    }
}

/// <summary>The daily reminder job's work: members whose points expire within <paramref name="withinDays"/>, streamed.</summary>
public sealed class PointsExpiryReminderRun(GuideDbContext db, IPointsExpiryReminders reminders, BrandClock clock)
{
    public async Task<string> RunAsync(int withinDays, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var until = now.AddDays(withinDays);
        var count = 0;
        await foreach (var due in db.PointsLots.AsNoTracking().Where(l => l.Remaining > 0 && l.ExpiresAt != null && l.ExpiresAt > now && l.ExpiresAt <= until)
                           .GroupBy(l => l.MemberId).Select(g => new { MemberId = g.Key, Points = g.Sum(l => l.Remaining), Earliest = g.Min(l => l.ExpiresAt) })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await reminders.RemindAsync(new PointsExpiryReminder(due.MemberId, due.Points, due.Earliest!.Value, clock.Today), cancellationToken);
            count++;
        }
        return $"{count} member(s) due a points expiry reminder";
    }
}
