using System.Text.Json;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.Messaging;

/// <summary>
/// A message to queue: the member, channel and kind, the fact it comes from (<see cref="SourceKey"/>, unique: queuing the same
/// fact again queues nothing), a template and its values or a text, and for campaigns the campaign and its priority.
/// </summary>
public sealed record MessageRequest(Guid MemberId, MessageChannel Channel, MessageKind Kind, string SourceKey, Guid? TemplateId = null,
    IReadOnlyDictionary<string, string>? Data = null, string? Text = null, string? Page = null, Guid? CampaignId = null, int Priority = 0,
    DateTimeOffset? NotBefore = null);

/// <summary>
/// The one way out for every outbound message: <see cref="QueueAsync"/> writes the outbox row (inside the caller's transaction
/// when there is one, so the message exists exactly when the fact does); <see cref="MessageDrainRun"/> gates and sends it.
/// </summary>
public sealed class MessageGateway(GuideDbContext db, Transactions transactions, BrandClock clock)
{
    /// <summary>Queues the message unless its source key already queued one; answers whether this call queued it.</summary>
    public Task<bool> QueueAsync(MessageRequest request, CancellationToken cancellationToken) =>
        transactions.InTransaction
            ? InsertAsync(request, cancellationToken)
            : transactions.RunAsync(() => InsertAsync(request, cancellationToken), cancellationToken);

    private async Task<bool> InsertAsync(MessageRequest request, CancellationToken cancellationToken)
    {
        var batch = new StatementBatch(db, transactions);
        var id = AddInsert(batch, request, clock.UtcNow);
        // Not ROW_COUNT(): MySqlConnector connects with CLIENT_FOUND_ROWS, under which ON DUPLICATE KEY UPDATE of an unchanged row
        // counts 1, as an insert does. Whether the row with this call's new id exists cannot be mistaken.
        var inserted = 0;
        batch.Query($"SELECT COUNT(*) FROM outbound_messages WHERE Id = {batch.P(id)}", row => inserted = row.Int(0));
        await batch.ExecuteAsync(cancellationToken);
        return inserted == 1;
    }

    /// <summary>
    /// The outbox insert that does nothing when the source key is taken (for callers batching their own statements); answers the
    /// new row's id (a row with it exists after the batch exactly when this insert queued the message).
    /// </summary>
    public static Guid AddInsert(StatementBatch b, MessageRequest r, DateTimeOffset now)
    {
        if (r.SourceKey.Length is 0 or > OutboundMessage.SourceKeyMaxLength)
            throw new ArgumentException($"A source key is 1 to {OutboundMessage.SourceKeyMaxLength} characters.", nameof(r));
        var id = Guid.NewGuid();
        var data = r.Data is { Count: > 0 } d ? JsonSerializer.Serialize(d) : null;
        var values = string.Join(", ", b.P(id), b.P(r.MemberId), b.P(r.Channel), b.P(r.Kind), b.P(r.SourceKey), b.P(r.TemplateId),
            b.P(data), b.P(r.Text), b.P(r.Page), b.P(r.CampaignId), b.P(r.Priority), b.P(MessageStatus.Queued), b.P(r.NotBefore ?? now), b.P(now));
        var insert = "INSERT INTO outbound_messages (Id, MemberId, Channel, Kind, SourceKey, TemplateId, DataJson, Text, Page, CampaignId, Priority, " +
                     $"Status, NotBefore, CreatedAt, Attempts, Version) VALUES ({values}, 0, 0)";
        b.Execute(b.Dialect == SqlDialect.MySql ? insert + " ON DUPLICATE KEY UPDATE Id = Id" : insert + " ON CONFLICT (SourceKey) DO NOTHING", rows: 0);
        return id;
    }

    /// <summary>HQ's fatigue rules as stored (the default until HQ saves its own).</summary>
    public static async Task<(FatigueRules Rules, int Version)> RulesAsync(GuideDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.FatigueSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == FatigueSettings.SingletonId, cancellationToken);
        return row is null ? (FatigueRules.Default, 0) : (FatigueRules.Parse(row.Json), row.Version);
    }
}

/// <summary>
/// The outbox's drain (the <c>SendMessages</c> job, on any number of instances): claims due queued messages under a lease,
/// highest priority first; gates each in its own transaction (the member's consent row locked: two instances cannot both pass a
/// cap of 1), then hands the passed ones to their channel and records the answer. At most once: a message is marked sending
/// before its channel is called, and one whose instance died while sending is marked failed (interrupted), never sent again.
/// A transient failure (nothing delivered) gives the touch and the subscription back and retries later, up to
/// <see cref="MaxAttempts"/> times.
/// </summary>
public sealed partial class MessageDrainRun(GuideDbContext db, Transactions transactions, BrandClock clock, IEnumerable<IMessageSender> senders,
    ILogger<MessageDrainRun> logger)
{
    public const int DefaultBatchSize = 200;
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>How many due messages one claim takes (the race test sets 1, so two instances take one message of a member each).</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;
    private readonly Dictionary<MessageChannel, IMessageSender> _senders = senders.ToDictionary(s => s.Channel);

    /// <summary>How many gated messages are handed to their channels at once (the channels are remote: WeChat answers in ~100 ms).</summary>
    public int SendConcurrency { get; set; } = 8;

    /// <summary>How many sends are recorded together: a crash while sending leaves at most this many of ours marked interrupted.</summary>
    public const int SendChunk = 50;

    /// <summary>Drains until nothing is due or <paramref name="budget"/> has passed; answers what it did.</summary>
    public async Task<string> RunAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = clock.UtcNow;
        int sent = 0, blocked = 0, postponed = 0, failed = 0, awaiting = 0, retried = 0;
        var interrupted = await transactions.RunAsync(() => MarkInterruptedAsync(cancellationToken), cancellationToken);
        while (clock.UtcNow - started < budget)
        {
            var claimed = await transactions.RunAsync(() => ClaimAsync(cancellationToken), cancellationToken);
            if (claimed.Count == 0) break;
            var (rules, _) = await MessageGateway.RulesAsync(db, cancellationToken);
            var gated = await transactions.RunAsync(() => GateAsync(claimed, rules, cancellationToken), cancellationToken);
            db.ChangeTracker.Clear();
            blocked += gated.Blocked;
            postponed += gated.Postponed;
            awaiting += gated.AwaitingGuide;
            foreach (var chunk in gated.Sending.Chunk(SendChunk))
            {
                foreach (var outcome in await SendAsync(chunk, cancellationToken))
                {
                    switch (outcome)
                    {
                        case DeliveryOutcome.Delivered: sent++; break;
                        case DeliveryOutcome.Transient: retried++; break;
                        case DeliveryOutcome.NoSubscribeQuota: blocked++; break;
                        default: failed++; break;
                    }
                }
                db.ChangeTracker.Clear();
            }
        }
        return $"sent {sent}, awaiting guide {awaiting}, blocked {blocked}, postponed {postponed}, retry later {retried}, failed {failed}, interrupted {interrupted}";
    }

    /// <summary>What the gate did with one claim: the counts, and the messages now sending with what their channels need.</summary>
    private sealed record GatedBatch(int Blocked, int Postponed, int AwaitingGuide, IReadOnlyList<MessageDelivery> Sending);

    private sealed record Recipient(Guid Id, string OpenId, string? Phone, Guid? ExclusiveGuideId);

    /// <summary>Messages left sending by an instance whose lease ran out: it may have sent them, so they are failed, not re-sent.</summary>
    private async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        return await db.OutboundMessages
            .Where(m => m.Status == MessageStatus.Sending && m.LeaseUntil != null && m.LeaseUntil < now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed)
                .SetProperty(m => m.Detail, "interrupted while sending (the instance stopped); not sent again, so never twice")
                .SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(m => m.Version, m => m.Version + 1), cancellationToken);
    }

    /// <summary>Claims up to <see cref="BatchSize"/> due queued messages (highest priority, then the oldest due first) for this run.</summary>
    private async Task<IReadOnlyList<Guid>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var until = now + Lease;
        var b = new StatementBatch(db, transactions);
        var due = $"Status = {b.P(MessageStatus.Queued)} AND NotBefore <= {b.P(now)} AND (LeaseUntil IS NULL OR LeaseUntil < {b.P(now)})";
        var set = $"SET LeaseOwner = {b.P(_owner)}, LeaseUntil = {b.P(until)}, Version = Version + 1";
        b.Execute(b.Dialect == SqlDialect.MySql
            ? $"UPDATE outbound_messages {set} WHERE {due} ORDER BY Priority DESC, NotBefore, Id LIMIT {BatchSize}"
            : $"UPDATE outbound_messages {set} WHERE Id IN (SELECT Id FROM outbound_messages WHERE {due} ORDER BY Priority DESC, NotBefore, Id LIMIT {BatchSize})",
            rows: 0);
        var ids = new List<Guid>();
        b.Query($"SELECT Id FROM outbound_messages WHERE LeaseOwner = {b.P(_owner)} AND Status = {b.P(MessageStatus.Queued)} " +
                "ORDER BY Priority DESC, NotBefore, Id", row => ids.Add(row.Guid(0)));
        await b.ExecuteAsync(cancellationToken);
        return ids;
    }

    /// <summary>
    /// The gate for a claim, in one transaction, in claim order: channel needs, consent, quiet hours and caps, the subscription.
    /// The members whose messages need it are locked first (their consent rows, in key order, so two instances never wait on each
    /// other in a cycle), then their touches are read once; a message that passes adds its touch to what the next message of the
    /// same member sees. Subscriptions are locked the same way and used up in memory, then written once per member and template.
    /// </summary>
    private async Task<GatedBatch> GateAsync(IReadOnlyList<Guid> claimed, FatigueRules rules, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear(); // a deadlock retries the whole gate
        var now = clock.UtcNow;
        var today = DateOnly.FromDateTime(clock.ToBrandTime(now).DateTime);
        var order = claimed.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var messages = (await db.OutboundMessages.Where(x => claimed.Contains(x.Id) && x.Status == MessageStatus.Queued && x.LeaseOwner == _owner)
            .ToListAsync(cancellationToken)).OrderBy(x => order[x.Id]).ToList();
        if (messages.Count == 0) return new GatedBatch(0, 0, 0, []);

        var memberIds = messages.Select(x => x.MemberId).Distinct().ToList();
        var recipients = await db.Members.AsNoTracking().Where(x => memberIds.Contains(x.Id))
            .Select(x => new Recipient(x.Id, x.OpenId, x.Phone, x.ExclusiveGuideId)).ToDictionaryAsync(x => x.Id, cancellationToken);
        var templateIds = messages.Where(x => x.TemplateId != null).Select(x => x.TemplateId!.Value).Distinct().ToList();
        var templates = templateIds.Count == 0 ? new Dictionary<Guid, MessageTemplate>()
            : await db.MessageTemplates.AsNoTracking().Where(t => templateIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        var guideIds = messages.Where(x => x.Channel == MessageChannel.WeCom)
            .Select(x => recipients[x.MemberId].ExclusiveGuideId).OfType<Guid>().Distinct().ToList();
        var activeGuides = guideIds.Count == 0 ? new HashSet<Guid>()
            : (await db.Guides.Where(g => guideIds.Contains(g.Id) && g.Active).Select(g => g.Id).ToListAsync(cancellationToken)).ToHashSet();

        bool Capped(OutboundMessage x) => x.Kind == MessageKind.Marketing || (x.Kind == MessageKind.Account && rules.CapAccountMessages);
        var locked = messages.Where(x => x.Kind == MessageKind.Marketing || Capped(x)).Select(x => x.MemberId).Distinct().OrderBy(KeyOrder, StringComparer.Ordinal).ToList();
        var consents = await LockConsentsAsync(locked, now, cancellationToken);
        var cappedMembers = messages.Where(Capped).Select(x => x.MemberId).Distinct().ToList();
        var since = FatigueGate.TouchesSince(rules, now);
        var touches = cappedMembers.Count == 0 ? new Dictionary<Guid, List<PastTouch>>()
            : (await db.Touches.AsNoTracking().Where(t => cappedMembers.Contains(t.MemberId) && t.At >= since)
                .Select(t => new { t.MemberId, Touch = new PastTouch(t.Channel, t.At, t.Day) }).ToListAsync(cancellationToken))
            .GroupBy(t => t.MemberId).ToDictionary(g => g.Key, g => g.Select(t => t.Touch).ToList());
        var subscribers = messages.Where(x => x.Channel == MessageChannel.Subscribe).Select(x => x.MemberId).Distinct().OrderBy(KeyOrder, StringComparer.Ordinal).ToList();
        var quotas = await LockQuotasAsync(subscribers, cancellationToken);
        var used = new Dictionary<(Guid Member, string Template), int>();

        int blocked = 0, postponed = 0, awaiting = 0;
        var sending = new List<MessageDelivery>();
        void Block(OutboundMessage x, MessageBlockReason reason, string detail)
        {
            x.Status = MessageStatus.Blocked;
            x.Reason = reason;
            x.Detail = Truncate(detail, OutboundMessage.DetailMaxLength);
            x.GatedAt = now;
            x.ReleaseLease();
            blocked++;
        }
        foreach (var m in messages)
        {
            var member = recipients[m.MemberId];
            var template = m.TemplateId is { } templateId ? templates.GetValueOrDefault(templateId) : null;
            if (m.TemplateId is not null && template is not { Active: true })
            {
                Block(m, MessageBlockReason.TemplateInactive, "the template was deactivated or removed");
                continue;
            }
            if (m.Channel == MessageChannel.Sms && string.IsNullOrEmpty(member.Phone))
            {
                Block(m, MessageBlockReason.NoPhone, "no phone number");
                continue;
            }
            if (m.Channel == MessageChannel.WeCom)
            {
                if (member.ExclusiveGuideId is not { } guideId || !activeGuides.Contains(guideId))
                {
                    Block(m, MessageBlockReason.NoGuide, "no active exclusive guide");
                    continue;
                }
                m.GuideId = guideId;
            }
            if (m.Kind == MessageKind.Marketing && !consents[m.MemberId].Allows(m.Channel))
            {
                Block(m, MessageBlockReason.Unsubscribed, "unsubscribed from marketing on this channel");
                continue;
            }
            var capped = Capped(m);
            if (capped)
            {
                if (!touches.TryGetValue(m.MemberId, out var past)) touches[m.MemberId] = past = [];
                var decision = FatigueGate.Check(rules, m.Channel, rules.Whitelist.Contains(m.MemberId), now, clock.Zone, past);
                if (decision is GateDecision.Block block)
                {
                    Block(m, block.Reason, block.Detail);
                    continue;
                }
                if (decision is GateDecision.Postpone postpone)
                {
                    m.NotBefore = postpone.Until;
                    m.Detail = "postponed: " + postpone.Detail;
                    m.ReleaseLease();
                    postponed++;
                    continue;
                }
            }
            if (m.Channel == MessageChannel.Subscribe)
            {
                if (template is null)
                {
                    Block(m, MessageBlockReason.TemplateInactive, "a subscribe message needs a template");
                    continue;
                }
                var key = (m.MemberId, template.ExternalId);
                if (quotas.GetValueOrDefault(key) <= 0)
                {
                    Block(m, MessageBlockReason.NoSubscribeQuota, $"no accepted subscription of template {template.ExternalId} left");
                    continue;
                }
                quotas[key]--;
                used[key] = used.GetValueOrDefault(key) + 1;
            }
            if (capped)
            {
                db.Touches.Add(new Touch(m.MemberId, m.Channel, m.Id, m.CampaignId, now, today));
                touches[m.MemberId].Add(new PastTouch(m.Channel, now, today));
            }
            m.GatedAt = now;
            if (m.Channel == MessageChannel.WeCom)
            {
                m.Status = MessageStatus.AwaitingGuide;
                m.ReleaseLease();
                awaiting++;
                continue;
            }
            m.Version++;
            m.Status = MessageStatus.Sending;
            m.LeaseUntil = now + Lease;
            var data = m.DataJson is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : new Dictionary<string, string>();
            sending.Add(new MessageDelivery(m.Id, m.Channel, m.Kind, member.OpenId, member.Phone, template, data, m.Text, m.Page));
        }

        if (used.Count > 0)
        {
            var b = new StatementBatch(db, transactions);
            foreach (var ((memberId, externalId), count) in used)
                b.Execute($"UPDATE subscribe_quotas SET Remaining = Remaining - {b.P(count)}, UpdatedAt = {b.P(now)} " +
                          $"WHERE MemberId = {b.P(memberId)} AND WeixinTemplateId = {b.P(externalId)}");
            await b.ExecuteWritesAsync(cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return new GatedBatch(blocked, postponed, awaiting, sending);
    }

    /// <summary>A member id as the database orders its key (char(36) on MySQL, upper-case text on SQLite: hex digits, then letters).</summary>
    private static string KeyOrder(Guid id) => id.ToString("D").ToUpperInvariant();

    /// <summary>
    /// The members' consent rows, created when missing and locked (<c>FOR UPDATE</c> on InnoDB, in key order; SQLite's write
    /// transaction serializes writers): the gate's per-member lock.
    /// </summary>
    private async Task<Dictionary<Guid, MemberMessageConsent>> LockConsentsAsync(IReadOnlyList<Guid> memberIds, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var consents = new Dictionary<Guid, MemberMessageConsent>();
        if (memberIds.Count == 0) return consents;
        var b = new StatementBatch(db, transactions);
        var rows = string.Join(", ", memberIds.Select(id => $"({b.P(id)}, 1, 1, 1, {b.P(now)}, 0)"));
        var insert = $"INSERT INTO member_message_consents (MemberId, SubscribeMarketing, WeComMarketing, SmsMarketing, UpdatedAt, Version) VALUES {rows}";
        b.Execute(b.Dialect == SqlDialect.MySql ? insert + " ON DUPLICATE KEY UPDATE MemberId = MemberId" : insert + " ON CONFLICT (MemberId) DO NOTHING", rows: 0);
        var ids = string.Join(", ", memberIds.Select(id => b.P(id)));
        b.Query($"SELECT MemberId, SubscribeMarketing, WeComMarketing, SmsMarketing FROM member_message_consents WHERE MemberId IN ({ids}) " +
                $"ORDER BY MemberId{b.ForUpdate}", row =>
        {
            var id = row.Guid(0);
            consents[id] = new MemberMessageConsent(id, now) { SubscribeMarketing = row.Bool(1), WeComMarketing = row.Bool(2), SmsMarketing = row.Bool(3) };
        });
        await b.ExecuteAsync(cancellationToken);
        return consents;
    }

    /// <summary>The members' accepted subscriptions, locked (an acceptance arriving meanwhile waits, then adds to what is left).</summary>
    private async Task<Dictionary<(Guid Member, string Template), int>> LockQuotasAsync(IReadOnlyList<Guid> memberIds, CancellationToken cancellationToken)
    {
        var quotas = new Dictionary<(Guid Member, string Template), int>();
        if (memberIds.Count == 0) return quotas;
        var b = new StatementBatch(db, transactions);
        var ids = string.Join(", ", memberIds.Select(id => b.P(id)));
        b.Query($"SELECT MemberId, WeixinTemplateId, Remaining FROM subscribe_quotas WHERE MemberId IN ({ids}) ORDER BY MemberId, WeixinTemplateId{b.ForUpdate}",
            row => quotas[(row.Guid(0), row.String(1))] = row.Int(2));
        await b.ExecuteAsync(cancellationToken);
        return quotas;
    }

    /// <summary>
    /// Hands gated messages to their channels (outside any transaction, <see cref="SendConcurrency"/> at once), then records the
    /// answers: the delivered ones in one conditional statement, the others one by one.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryOutcome>> SendAsync(IReadOnlyList<MessageDelivery> deliveries, CancellationToken cancellationToken)
    {
        var results = new DeliveryResult[deliveries.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, deliveries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, SendConcurrency), CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await DeliverAsync(deliveries[i], ct));

        var delivered = deliveries.Where((_, i) => results[i].Outcome == DeliveryOutcome.Delivered).Select(d => d.MessageId).ToList();
        if (delivered.Count > 0)
        {
            // Still ours and sending (not marked interrupted meanwhile), now sent; in the policy: retried on a deadlock with another
            // instance's claim.
            var now = clock.UtcNow;
            await transactions.RunAsync(() => db.OutboundMessages
                .Where(x => delivered.Contains(x.Id) && x.Status == MessageStatus.Sending && x.LeaseOwner == _owner)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, MessageStatus.Sent).SetProperty(x => x.SentAt, now)
                    .SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.Version, x => x.Version + 1)
                    .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null), cancellationToken),
                cancellationToken);
        }
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (results[i].Outcome == DeliveryOutcome.Delivered) continue;
            var (id, result, externalId) = (deliveries[i].MessageId, results[i], deliveries[i].Template?.ExternalId);
            await transactions.RunAsync(() => RecordUndeliveredAsync(id, result, externalId, cancellationToken), cancellationToken);
            db.ChangeTracker.Clear();
        }
        return results.Select(r => r.Outcome).ToList();
    }

    private async Task<DeliveryResult> DeliverAsync(MessageDelivery delivery, CancellationToken cancellationToken)
    {
        if (!_senders.TryGetValue(delivery.Channel, out var sender))
            return new DeliveryResult(DeliveryOutcome.Rejected, $"no sender for channel {delivery.Channel}");
        try
        {
            return await sender.SendAsync(delivery, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A sender that throws (a timeout: the request may have reached the channel) is not retried: at most once.
            LogSendFailed(logger, e, delivery.MessageId, delivery.Channel);
            return new DeliveryResult(DeliveryOutcome.Rejected, "the channel failed: " + e.GetType().Name);
        }
    }

    /// <summary>An answer other than delivered (<paramref name="templateExternalId"/>: the WeChat template whose subscription it used).</summary>
    private async Task<bool> RecordUndeliveredAsync(Guid id, DeliveryResult result, string? templateExternalId, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var m = await db.OutboundMessages.SingleAsync(x => x.Id == id, cancellationToken);
        if (m.Status != MessageStatus.Sending || m.LeaseOwner != _owner) return false; // marked interrupted meanwhile
        m.Attempts++;
        m.ReleaseLease();
        // Nothing was delivered: the touch does not count, and (but for WeChat saying there is none) the subscription is the member's again.
        await db.Touches.Where(t => t.MessageId == id).ExecuteDeleteAsync(cancellationToken);
        if (m.Channel == MessageChannel.Subscribe && templateExternalId is not null)
        {
            var quotas = db.SubscribeQuotas.Where(q => q.MemberId == m.MemberId && q.WeixinTemplateId == templateExternalId);
            if (result.Outcome == DeliveryOutcome.NoSubscribeQuota)
                await quotas.ExecuteUpdateAsync(s => s.SetProperty(q => q.Remaining, 0).SetProperty(q => q.UpdatedAt, now), cancellationToken);
            else
                await quotas.ExecuteUpdateAsync(s => s.SetProperty(q => q.Remaining, q => q.Remaining + 1).SetProperty(q => q.UpdatedAt, now), cancellationToken);
        }
        m.Detail = Truncate(result.Detail, OutboundMessage.DetailMaxLength);
        switch (result.Outcome)
        {
            case DeliveryOutcome.NoSubscribeQuota:
                m.Status = MessageStatus.Blocked;
                m.Reason = MessageBlockReason.NoSubscribeQuota;
                break;
            case DeliveryOutcome.Transient when m.Attempts < MaxAttempts:
                m.Status = MessageStatus.Queued;
                m.NotBefore = now + Backoff(m.Attempts);
                break;
            default:
                m.Status = MessageStatus.Failed;
                break;
        }
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>30 s, 2 min, 8 min, 32 min after the 1st to 4th failed attempt.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(30 * Math.Pow(4, Math.Clamp(attempts - 1, 0, 6)));

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending message {MessageId} on {Channel} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, Guid messageId, MessageChannel channel);
}
