using System.Globalization;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.Messaging;

/// <summary>
/// The facts of a system message, by the kind of value a WeChat template key takes (its type: the key without its number):
/// number, amount (fen, shown in yuan), date, time, thing (a short description), phrase (a status), character_string (a reference).
/// <see cref="Place"/> is a second thing (WeChat has no place type: a pickup store is a thing key too): the first thing key of the
/// template takes <see cref="Thing"/>, the next ones the place when there is one.
/// </summary>
public sealed record MessageFacts(long? Number = null, long? AmountFen = null, DateTimeOffset? At = null, string? Thing = null, string? Phrase = null,
    string? Reference = null, string? Place = null);

/// <summary>
/// The messages the system sends on its own (points expiring, recharge succeeded or refunded...): the template HQ gave the
/// purpose, its keys filled from the facts, queued through the gateway (inside the caller's transaction, so the message exists
/// exactly when the fact does; its source key makes a repeated fact queue nothing). No active template for the purpose: nothing
/// queued (logged).
/// </summary>
public sealed partial class SystemMessages(GuideDbContext db, MessageGateway gateway, BrandClock clock, ILogger<SystemMessages> logger)
{
    public async Task<bool> QueueAsync(MessagePurpose purpose, MessageKind kind, Guid memberId, string sourceKey, MessageFacts facts,
        CancellationToken cancellationToken)
    {
        var template = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Purpose == purpose && t.Channel == MessageChannel.Subscribe && t.Active)
            .Select(t => new { t.Id, t.Keys, t.Page }).FirstOrDefaultAsync(cancellationToken);
        if (template is null)
        {
            LogNoTemplate(purpose, sourceKey);
            return false;
        }
        var keys = MessageTemplate.SplitKeys(template.Keys);
        return await gateway.QueueAsync(new MessageRequest(memberId, MessageChannel.Subscribe, kind, sourceKey, template.Id, Fill(keys, facts, clock.Zone),
            Page: template.Page), cancellationToken);
    }

    /// <summary>Each key its best-fitting fact (by its type); a key no fact fits is left out.</summary>
    public static IReadOnlyDictionary<string, string> Fill(IReadOnlyList<string> keys, MessageFacts facts, TimeZoneInfo zone)
    {
        var local = facts.At is { } at ? TimeZoneInfo.ConvertTime(at, zone) : (DateTimeOffset?)null;
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        var things = 0;
        foreach (var key in keys)
        {
            var type = key.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9').ToLowerInvariant();
            var value = type switch
            {
                "number" => facts.Number?.ToString(CultureInfo.InvariantCulture) ?? (facts.AmountFen is { } f ? (f / 100).ToString(CultureInfo.InvariantCulture) : null),
                "amount" => facts.AmountFen is { } fen ? "¥" + (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture) : null,
                "date" => local?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "time" => local?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                "thing" => things++ > 0 && facts.Place is { } place ? place : facts.Thing,
                "phrase" => facts.Phrase,
                "character_string" => facts.Reference,
                _ => null,
            };
            if (value is not null) data[key] = value;
        }
        return data;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No active subscribe template carries the purpose {Purpose}: {SourceKey} queues no message")]
    private partial void LogNoTemplate(MessagePurpose purpose, string sourceKey);
}
