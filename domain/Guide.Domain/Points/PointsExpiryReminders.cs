using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

/// <summary>A member due a reminder: points expiring by <see cref="EarliestExpiry"/> and later within the window.</summary>
public sealed record PointsExpiryReminder(Guid MemberId, long Points, DateTimeOffset EarliestExpiry, DateOnly Day);

/// <summary>Where the daily reminder job hands its members (<see cref="GatewayPointsExpiryReminders"/>).</summary>
public interface IPointsExpiryReminders
{
    Task RemindAsync(PointsExpiryReminder reminder, CancellationToken cancellationToken);
}

/// <summary>
/// The reminder as an account message (a subscribe message with HQ's points-expiring template: the points and the earliest
/// expiry), once per member and brand day (source key <c>points-expiring:{member}:{day}</c>). No such template: nothing.
/// </summary>
public sealed class GatewayPointsExpiryReminders(Messaging.SystemMessages messages) : IPointsExpiryReminders
{
    public static string SourceKey(Guid memberId, DateOnly day) =>
        $"points-expiring:{memberId:N}:{day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}";

    public Task RemindAsync(PointsExpiryReminder reminder, CancellationToken cancellationToken) =>
        messages.QueueAsync(Messaging.MessagePurpose.PointsExpiring, Messaging.MessageKind.Account, reminder.MemberId,
            SourceKey(reminder.MemberId, reminder.Day),
            new Messaging.MessageFacts(Number: reminder.Points, At: reminder.EarliestExpiry, Thing: "积分即将过期", Phrase: "即将过期"), cancellationToken);
}

/// <summary>The daily reminder job's work: members whose points expire within <paramref name="withinDays"/>, streamed.</summary>
public sealed class PointsExpiryReminderRun(GuideDbContext db, IPointsExpiryReminders reminders, BrandClock clock)
{
    public async Task<string> RunAsync(int withinDays, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var until = now.AddDays(withinDays);
        var count = 0;
        // Read first, then queue: the gateway writes on this context's connection, which an open reader would still hold.
        var dues = await db.PointsLots.AsNoTracking().Where(l => l.Remaining > 0 && l.ExpiresAt != null && l.ExpiresAt > now && l.ExpiresAt <= until)
            .GroupBy(l => l.MemberId).Select(g => new { MemberId = g.Key, Points = g.Sum(l => l.Remaining), Earliest = g.Min(l => l.ExpiresAt) })
            .ToListAsync(cancellationToken);
        foreach (var due in dues)
        {
            await reminders.RemindAsync(new PointsExpiryReminder(due.MemberId, due.Points, due.Earliest!.Value, clock.Today), cancellationToken);
            count++;
        }
        return $"{count} member(s) due a points expiry reminder";
    }
}
