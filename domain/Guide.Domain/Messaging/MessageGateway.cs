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
            foreach (var id in claimed)
            {
                var gated = await transactions.RunAsync(() => GateAsync(id, rules, cancellationToken), cancellationToken);
                db.ChangeTracker.Clear();
                switch (gated)
                {
                    case GateOutcome.Blocked: blocked++; continue;
                    case GateOutcome.Postponed: postponed++; continue;
                    case GateOutcome.AwaitingGuide: awaiting++; continue;
                    case GateOutcome.Skipped: continue;
                }
                var outcome = await SendAsync(id, cancellationToken);
                db.ChangeTracker.Clear();
                switch (outcome)
                {
                    case DeliveryOutcome.Delivered: sent++; break;
                    case DeliveryOutcome.Transient: retried++; break;
                    case DeliveryOutcome.NoSubscribeQuota: blocked++; break;
                    default: failed++; break;
                }
            }
        }
        return $"sent {sent}, awaiting guide {awaiting}, blocked {blocked}, postponed {postponed}, retry later {retried}, failed {failed}, interrupted {interrupted}";
    }

    private enum GateOutcome { Skipped, Blocked, Postponed, AwaitingGuide, Sending }

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

    /// <summary>The gate for one claimed message, in its transaction: channel needs, consent, quiet hours and caps, the subscription.</summary>
    private async Task<GateOutcome> GateAsync(Guid id, FatigueRules rules, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var m = await db.OutboundMessages.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (m is null || m.Status != MessageStatus.Queued || m.LeaseOwner != _owner) return GateOutcome.Skipped;

        var member = await db.Members.AsNoTracking().Where(x => x.Id == m.MemberId)
            .Select(x => new { x.Phone, x.ExclusiveGuideId }).SingleAsync(cancellationToken);
        var template = m.TemplateId is { } templateId
            ? await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            : null;
        if (m.TemplateId is not null && template is not { Active: true })
            return await BlockAsync(m, MessageBlockReason.TemplateInactive, "the template was deactivated or removed", cancellationToken);
        if (m.Channel == MessageChannel.Sms && string.IsNullOrEmpty(member.Phone))
            return await BlockAsync(m, MessageBlockReason.NoPhone, "no phone number", cancellationToken);
        if (m.Channel == MessageChannel.WeCom)
        {
            var guideId = member.ExclusiveGuideId is { } g && await db.Guides.AnyAsync(x => x.Id == g && x.Active, cancellationToken) ? g : (Guid?)null;
            if (guideId is null) return await BlockAsync(m, MessageBlockReason.NoGuide, "no active exclusive guide", cancellationToken);
            m.GuideId = guideId;
        }

        var capped = m.Kind == MessageKind.Marketing || (m.Kind == MessageKind.Account && rules.CapAccountMessages);
        if (m.Kind == MessageKind.Marketing || capped)
        {
            var consent = await LockConsentAsync(m.MemberId, now, cancellationToken);
            if (m.Kind == MessageKind.Marketing && !consent.Allows(m.Channel))
                return await BlockAsync(m, MessageBlockReason.Unsubscribed, "unsubscribed from marketing on this channel", cancellationToken);
        }
        if (capped)
        {
            var since = FatigueGate.TouchesSince(rules, now);
            var touches = await db.Touches.AsNoTracking().Where(t => t.MemberId == m.MemberId && t.At >= since)
                .Select(t => new PastTouch(t.Channel, t.At, t.Day)).ToListAsync(cancellationToken);
            switch (FatigueGate.Check(rules, m.Channel, rules.Whitelist.Contains(m.MemberId), now, clock.Zone, touches))
            {
                case GateDecision.Block block:
                    return await BlockAsync(m, block.Reason, block.Detail, cancellationToken);
                case GateDecision.Postpone postpone:
                    m.NotBefore = postpone.Until;
                    m.Detail = "postponed: " + postpone.Detail;
                    m.LeaseOwner = null;
                    m.LeaseUntil = null;
                    m.Version++;
                    await db.SaveChangesAsync(cancellationToken);
                    return GateOutcome.Postponed;
            }
        }
        if (m.Channel == MessageChannel.Subscribe)
        {
            if (template is null)
                return await BlockAsync(m, MessageBlockReason.TemplateInactive, "a subscribe message needs a template", cancellationToken);
            var externalId = template.ExternalId;
            var used = await db.SubscribeQuotas.Where(q => q.MemberId == m.MemberId && q.WeixinTemplateId == externalId && q.Remaining > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.Remaining, q => q.Remaining - 1).SetProperty(q => q.UpdatedAt, now), cancellationToken);
            if (used == 0)
                return await BlockAsync(m, MessageBlockReason.NoSubscribeQuota, $"no accepted subscription of template {externalId} left", cancellationToken);
        }
        if (capped) db.Touches.Add(new Touch(m.MemberId, m.Channel, m.Id, m.CampaignId, now, DateOnly.FromDateTime(clock.ToBrandTime(now).DateTime)));
        m.GatedAt = now;
        m.Version++;
        if (m.Channel == MessageChannel.WeCom)
        {
            m.Status = MessageStatus.AwaitingGuide;
            m.LeaseOwner = null;
            m.LeaseUntil = null;
        }
        else
        {
            m.Status = MessageStatus.Sending;
            m.LeaseUntil = now + Lease;
        }
        await db.SaveChangesAsync(cancellationToken);
        return m.Channel == MessageChannel.WeCom ? GateOutcome.AwaitingGuide : GateOutcome.Sending;
    }

    private async Task<GateOutcome> BlockAsync(OutboundMessage m, MessageBlockReason reason, string detail, CancellationToken cancellationToken)
    {
        m.Status = MessageStatus.Blocked;
        m.Reason = reason;
        m.Detail = Truncate(detail, OutboundMessage.DetailMaxLength);
        m.GatedAt = clock.UtcNow;
        m.LeaseOwner = null;
        m.LeaseUntil = null;
        m.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return GateOutcome.Blocked;
    }

    /// <summary>
    /// The member's consent row, created when missing and locked (<c>FOR UPDATE</c> on InnoDB; SQLite's write transaction
    /// serializes writers): the gate's per-member lock.
    /// </summary>
    private async Task<MemberMessageConsent> LockConsentAsync(Guid memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var b = new StatementBatch(db, transactions);
        var insert = "INSERT INTO member_message_consents (MemberId, SubscribeMarketing, WeComMarketing, SmsMarketing, UpdatedAt, Version) " +
                     $"VALUES ({b.P(memberId)}, 1, 1, 1, {b.P(now)}, 0)";
        b.Execute(b.Dialect == SqlDialect.MySql ? insert + " ON DUPLICATE KEY UPDATE MemberId = MemberId" : insert + " ON CONFLICT (MemberId) DO NOTHING", rows: 0);
        MemberMessageConsent consent = new(memberId, now);
        b.Query("SELECT SubscribeMarketing, WeComMarketing, SmsMarketing FROM member_message_consents " +
                $"WHERE MemberId = {b.P(memberId)}{b.ForUpdate}", row =>
        {
            consent.SubscribeMarketing = row.Bool(0);
            consent.WeComMarketing = row.Bool(1);
            consent.SmsMarketing = row.Bool(2);
        });
        await b.ExecuteAsync(cancellationToken);
        return consent;
    }

    /// <summary>Hands a gated message to its channel (outside any transaction), then records the answer.</summary>
    private async Task<DeliveryOutcome> SendAsync(Guid id, CancellationToken cancellationToken)
    {
        var m = await db.OutboundMessages.AsNoTracking().SingleAsync(x => x.Id == id, cancellationToken);
        var member = await db.Members.AsNoTracking().Where(x => x.Id == m.MemberId).Select(x => new { x.OpenId, x.Phone }).SingleAsync(cancellationToken);
        var template = m.TemplateId is { } templateId
            ? await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            : null;
        var data = m.DataJson is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : new Dictionary<string, string>();
        DeliveryResult result;
        if (!_senders.TryGetValue(m.Channel, out var sender))
            result = new DeliveryResult(DeliveryOutcome.Rejected, $"no sender for channel {m.Channel}");
        else
        {
            try
            {
                result = await sender.SendAsync(new MessageDelivery(m.Id, m.Channel, m.Kind, member.OpenId, member.Phone, template, data, m.Text, m.Page),
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A sender that throws (a timeout: the request may have reached the channel) is not retried: at most once.
                LogSendFailed(logger, e, m.Id, m.Channel);
                result = new DeliveryResult(DeliveryOutcome.Rejected, "the channel failed: " + e.GetType().Name);
            }
        }
        if (result.Outcome == DeliveryOutcome.Delivered)
        {
            // The common answer in one conditional statement: still ours and sending, now sent (in the policy: retried on a deadlock
            // with another instance's claim).
            var now = clock.UtcNow;
            await transactions.RunAsync(() => db.OutboundMessages.Where(x => x.Id == id && x.Status == MessageStatus.Sending && x.LeaseOwner == _owner)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, MessageStatus.Sent).SetProperty(x => x.SentAt, now)
                    .SetProperty(x => x.Attempts, x => x.Attempts + 1).SetProperty(x => x.Version, x => x.Version + 1)
                    .SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null), cancellationToken),
                cancellationToken);
            return result.Outcome;
        }
        await transactions.RunAsync(() => RecordUndeliveredAsync(id, result, template?.ExternalId, cancellationToken), cancellationToken);
        return result.Outcome;
    }

    /// <summary>An answer other than delivered (<paramref name="templateExternalId"/>: the WeChat template whose subscription it used).</summary>
    private async Task<bool> RecordUndeliveredAsync(Guid id, DeliveryResult result, string? templateExternalId, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var m = await db.OutboundMessages.SingleAsync(x => x.Id == id, cancellationToken);
        if (m.Status != MessageStatus.Sending || m.LeaseOwner != _owner) return false; // marked interrupted meanwhile
        m.Attempts++;
        m.Version++;
        m.LeaseOwner = null;
        m.LeaseUntil = null;
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
