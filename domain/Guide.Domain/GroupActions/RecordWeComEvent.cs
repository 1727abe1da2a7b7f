using System.Security.Cryptography;
using System.Text;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.GroupActions;

/// <summary>What a verified WeCom callback says, as the API read it (the domain knows no WeCom XML or crypto).</summary>
public sealed record WeComEventFacts(
    string DedupKey, string Event, string? ChangeType, DateTimeOffset CreatedAt, string Xml,
    string? UserId = null, string? ExternalUserId = null, string? State = null,
    string? ChatId = null, string? UpdateDetail = null, int? JoinScene = null, int? QuitScene = null, int? MemChangeCount = null)
{
    /// <summary>
    /// The stored key: the event's own key when it fits the unique index, else its SHA-256 (same on every
    /// instance and after restarts, unlike string.GetHashCode).
    /// </summary>
    public static string KeyOf(string deduplicationKey) => deduplicationKey.Length <= WeComEvent.DedupKeyMaxLength
        ? deduplicationKey
        : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deduplicationKey)));

    /// <summary>False when a field is longer than its column: WeCom's ids are short, so such an event is not WeCom's to keep.</summary>
    public bool FitsColumns =>
        Event.Length <= 64 && (ChangeType?.Length ?? 0) <= 64 && (UpdateDetail?.Length ?? 0) <= 64
        && new[] { UserId, ExternalUserId, State, ChatId }.All(v => (v?.Length ?? 0) <= WeComEvent.IdMaxLength)
        && DedupKey.Length <= WeComEvent.DedupKeyMaxLength;
}

public enum WeComEventRecording
{
    /// <summary>New: stored for processing.</summary>
    Stored,
    /// <summary>Already stored (a retry or a concurrent delivery of the same event): nothing new.</summary>
    Duplicate,
    /// <summary>Verified but unfit to store (a field too long for its column).</summary>
    Refused,
}

/// <summary>
/// Stores a verified callback event once: WeCom must have its answer within 5 seconds, so this is one INSERT
/// and nothing else; the work is done later by <see cref="ProcessWeComEvent"/>.
/// </summary>
public sealed record RecordWeComEvent(WeComEventFacts Facts) : IRequest<WeComEventRecording>;

/// <summary>
/// Not an <see cref="ICommand{TResult}"/> on purpose: a single INSERT is atomic without the transaction policy,
/// and a duplicate is an answer, not a race to retry. The unique index on the key decides between two concurrent
/// deliveries (on either provider); the loser's unique violation is classified by error number (<see cref="DbErrors"/>).
/// </summary>
public sealed class RecordWeComEventHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<RecordWeComEvent, WeComEventRecording>
{
    public async Task<WeComEventRecording> Handle(RecordWeComEvent request, CancellationToken cancellationToken)
    {
        var facts = request.Facts;
        if (!facts.FitsColumns) return WeComEventRecording.Refused;
        // Most duplicates are retries of an event stored seconds ago: found without a failed INSERT.
        if (await db.WeComEvents.AnyAsync(e => e.DedupKey == facts.DedupKey, cancellationToken)) return WeComEventRecording.Duplicate;
        db.WeComEvents.Add(new WeComEvent(facts, clock.UtcNow));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return WeComEventRecording.Stored;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return WeComEventRecording.Duplicate;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
