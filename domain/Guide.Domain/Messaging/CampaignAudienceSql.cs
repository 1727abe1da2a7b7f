using System.Globalization;
using System.Text;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Messaging;

/// <summary>A campaign's audience as one SQL condition on member <c>m</c> (the estimate and the send share it).</summary>
public static class CampaignAudienceSql
{
    public static string Where(StatementBatch b, Campaign c, DateTimeOffset now)
    {
        var a = c.Audience;
        var sql = new StringBuilder("1 = 1");
        if (a.Levels is { Count: > 0 } levels)
            sql.Append(" AND m.Level IN (").Append(string.Join(", ", levels.Select(l => l.ToString(CultureInfo.InvariantCulture)))).Append(')');
        if (a.StoreIds is { Count: > 0 } stores)
            sql.Append(" AND m.StoreId IN (").Append(string.Join(", ", stores.Select(s => b.P(s)))).Append(')');
        if (a.GuideIds is { Count: > 0 } guides)
            sql.Append(" AND m.ExclusiveGuideId IN (").Append(string.Join(", ", guides.Select(g => b.P(g)))).Append(')');
        if (a.BirthdayMonth is { } month)
            sql.Append(" AND m.Birthday IS NOT NULL AND ")
                .Append(b.Dialect == SqlDialect.MySql ? "MONTH(m.Birthday)" : "CAST(substr(m.Birthday, 6, 2) AS INTEGER)")
                .Append(" = ").Append(month.ToString(CultureInfo.InvariantCulture));
        if (a.LastPurchase is { } p)
        {
            var days = p.WithinDays ?? p.NotWithinDays ?? 0;
            var since = b.P(now.AddDays(-days));
            sql.Append(p.WithinDays is not null ? " AND EXISTS" : " AND NOT EXISTS")
                .Append($" (SELECT 1 FROM sales_documents d WHERE d.MemberId = m.Id AND d.Kind = 'Sale' AND d.DocumentTime >= {since})");
        }
        if (a.PointsMin is not null || a.PointsMax is not null)
        {
            const string balance = "COALESCE((SELECT pa.Balance FROM points_accounts pa WHERE pa.MemberId = m.Id), 0)";
            if (a.PointsMin is { } min) sql.Append($" AND {balance} >= {b.P(min)}");
            if (a.PointsMax is { } max) sql.Append($" AND {balance} <= {b.P(max)}");
        }
        if (a.ImportedList)
            sql.Append($" AND EXISTS (SELECT 1 FROM campaign_members cm WHERE cm.CampaignId = {b.P(c.Id)} AND cm.MemberId = m.Id)");
        return sql.ToString();
    }
}

/// <summary>Members excluded on a channel for one reason (a cap: by its window, as the gate names it).</summary>
public sealed record CampaignExclusion(MessageBlockReason Reason, string? Window, int Members);

public sealed record CampaignChannelEstimate(MessageChannel Channel, int Reachable, IReadOnlyList<CampaignExclusion> Excluded);

/// <summary>
/// The audience, and per channel how many the gate would let through now and why the others would be stopped. The campaign's
/// own channel with its template (a subscribe campaign: the template's quota); the other channels with a text (subscribe: any
/// accepted template). Quiet hours and holidays that postpone are not exclusions (the message waits); ones that drop are.
/// </summary>
public sealed record CampaignEstimate(Guid CampaignId, MessageChannel Channel, int Audience, int Reachable, IReadOnlyList<CampaignChannelEstimate> Channels);

public sealed record EstimateCampaign(Guid CampaignId) : IRequest<CampaignEstimate>;

/// <summary>
/// One set-based statement over the audience: each member's consent, phone, exclusive guide, subscribe quota and touch counts
/// per fatigue window (one grouped pass over the touches of the longest window), then the gate's checks in the gate's order
/// (<see cref="MessageDrainRun"/>: phone or guide, consent, WeCom's monthly limit, our windows in order unless whitelisted,
/// the subscribe quota), per channel, grouped. Writes nothing.
/// </summary>
public sealed class EstimateCampaignHandler(GuideDbContext db, Transactions transactions, BrandClock clock) : IRequestHandler<EstimateCampaign, CampaignEstimate>
{
    public async Task<CampaignEstimate> Handle(EstimateCampaign request, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.CampaignId, cancellationToken)
            ?? throw CampaignErrors.NotFound(request.CampaignId);
        var template = campaign.TemplateId is { } t
            ? await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(x => x.Id == t, cancellationToken)
            : null;
        var (rules, _) = await MessageGateway.RulesAsync(db, cancellationToken);
        return await transactions.RunAsync(() => EstimateAsync(campaign, template, rules, cancellationToken), cancellationToken);
    }

    private static readonly MessageChannel[] AllChannels = [MessageChannel.Subscribe, MessageChannel.WeCom, MessageChannel.Sms];

    private async Task<CampaignEstimate> EstimateAsync(Campaign campaign, MessageTemplate? template, FatigueRules rules, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var b = new StatementBatch(db, transactions);
        var sql = Sql(b, campaign, template, rules, now, clock.Zone);
        var combos = new List<(string[] Reasons, int Count)>();
        b.Query(sql, row => combos.Add(([row.String(0), row.String(1), row.String(2)], row.Int(3))));
        await b.ExecuteAsync(cancellationToken);

        var audience = combos.Sum(c => c.Count);
        var channels = new List<CampaignChannelEstimate>();
        for (var i = 0; i < AllChannels.Length; i++)
        {
            var channel = AllChannels[i];
            var byReason = combos.GroupBy(c => c.Reasons[i]).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
            var excluded = new List<CampaignExclusion>();
            var reachable = byReason.GetValueOrDefault("ok");
            // Holidays and quiet hours that drop: one verdict for everyone at this instant, after the consent (the gate's order).
            if (FatigueGate.Check(rules with { Windows = [] }, channel, false, now, clock.Zone, []) is GateDecision.Block drop
                && drop.Reason is MessageBlockReason.Holiday or MessageBlockReason.QuietHours)
            {
                var dropped = byReason.Where(r => r.Key == "ok" || r.Key.StartsWith("cap:", StringComparison.Ordinal)
                    || r.Key is nameof(MessageBlockReason.WeComMonthlyLimit) or nameof(MessageBlockReason.NoSubscribeQuota)).ToList();
                foreach (var r in dropped) byReason.Remove(r.Key);
                if (dropped.Sum(r => r.Value) is > 0 and var n) excluded.Add(new CampaignExclusion(drop.Reason, null, n));
                reachable = 0;
            }
            foreach (var (key, count) in byReason)
            {
                if (key == "ok") continue;
                if (key.StartsWith("cap:", StringComparison.Ordinal))
                    excluded.Add(new CampaignExclusion(MessageBlockReason.Cap, rules.Windows[int.Parse(key[4..], CultureInfo.InvariantCulture)].Describe(), count));
                else excluded.Add(new CampaignExclusion(Enum.Parse<MessageBlockReason>(key), null, count));
            }
            channels.Add(new CampaignChannelEstimate(channel, reachable, excluded.OrderByDescending(e => e.Members).ThenBy(e => e.Reason).ToList()));
        }
        var own = channels.Single(c => c.Channel == campaign.Channel);
        return new CampaignEstimate(campaign.Id, campaign.Channel, audience, own.Reachable, channels);
    }

    /// <summary>The estimate's statement: one row per combination of the three channels' verdicts, with its member count.</summary>
    public static string Sql(StatementBatch b, Campaign campaign, MessageTemplate? template, FatigueRules rules, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        string Day(DateOnly d) => b.Dialect == SqlDialect.Sqlite ? b.P(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : b.P(d);
        var todayP = Day(today);
        var nowP = b.P(now);

        // Touch counts per window, and WeCom's month: one pass over the touches since the longest window.
        var counts = new List<string>();
        for (var i = 0; i < rules.Windows.Count; i++)
        {
            var w = rules.Windows[i];
            var inWindow = w.Kind == FatigueWindowKind.Rolling
                ? $"t.At > {b.P(now.AddDays(-w.Days))} AND t.At <= {nowP}"
                : $"t.Day > {Day(today.AddDays(-w.Days))} AND t.Day <= {todayP}";
            if (w.Channel is { } ch) inWindow += $" AND t.Channel = {b.P(ch)}";
            counts.Add($"SUM(CASE WHEN {inWindow} THEN 1 ELSE 0 END) AS w{i}");
        }
        counts.Add($"SUM(CASE WHEN t.Channel = 'WeCom' AND t.Day >= {Day(new DateOnly(today.Year, today.Month, 1))} AND t.Day <= {todayP} THEN 1 ELSE 0 END) AS wm");
        var touches = $"SELECT t.MemberId, {string.Join(", ", counts)} FROM touches t WHERE t.At >= {b.P(FatigueGate.TouchesSince(rules, now))} GROUP BY t.MemberId";

        var whitelisted = rules.Whitelist.Count == 0 ? "1 = 0" : $"m.Id IN ({string.Join(", ", rules.Whitelist.Select(id => b.P(id)))})";
        var monthDays = DateTime.DaysInMonth(today.Year, today.Month).ToString(CultureInfo.InvariantCulture);
        var quotaTemplate = campaign.Channel == MessageChannel.Subscribe && template is not null ? b.P(template.ExternalId) : null;
        var quota = quotaTemplate is not null
            ? $"EXISTS (SELECT 1 FROM subscribe_quotas q WHERE q.MemberId = m.Id AND q.WeixinTemplateId = {quotaTemplate} AND q.Remaining > 0)"
            : "EXISTS (SELECT 1 FROM subscribe_quotas q WHERE q.MemberId = m.Id AND q.Remaining > 0)";

        string Verdict(MessageChannel channel)
        {
            var when = new List<(string Condition, string Reason)>();
            if (channel == campaign.Channel && campaign.TemplateId is not null && template is not { Active: true })
                when.Add(("1 = 1", nameof(MessageBlockReason.TemplateInactive)));
            if (channel == MessageChannel.Sms) when.Add(("(m.Phone IS NULL OR m.Phone = '')", nameof(MessageBlockReason.NoPhone)));
            if (channel == MessageChannel.WeCom) when.Add(("g.Id IS NULL", nameof(MessageBlockReason.NoGuide)));
            var consent = channel switch
            {
                MessageChannel.Subscribe => "c.SubscribeMarketing", MessageChannel.WeCom => "c.WeComMarketing", _ => "c.SmsMarketing",
            };
            when.Add(($"{consent} = 0", nameof(MessageBlockReason.Unsubscribed)));
            if (channel == MessageChannel.WeCom) when.Add(($"COALESCE(tc.wm, 0) >= {monthDays}", nameof(MessageBlockReason.WeComMonthlyLimit)));
            for (var i = 0; i < rules.Windows.Count; i++)
            {
                var w = rules.Windows[i];
                if (w.Channel is { } only && only != channel) continue;
                when.Add(($"NOT ({whitelisted}) AND COALESCE(tc.w{i}, 0) >= {w.Max.ToString(CultureInfo.InvariantCulture)}",
                    "cap:" + i.ToString(CultureInfo.InvariantCulture)));
            }
            if (channel == MessageChannel.Subscribe) when.Add(($"NOT {quota}", nameof(MessageBlockReason.NoSubscribeQuota)));
            return "CASE " + string.Concat(when.Select(w => $"WHEN {w.Condition} THEN '{w.Reason}' ")) + "ELSE 'ok' END";
        }

        var members = $"SELECT {Verdict(MessageChannel.Subscribe)} AS rs, {Verdict(MessageChannel.WeCom)} AS rw, {Verdict(MessageChannel.Sms)} AS rm " +
                      "FROM members m " +
                      "LEFT JOIN member_message_consents c ON c.MemberId = m.Id " +
                      "LEFT JOIN guides g ON g.Id = m.ExclusiveGuideId AND g.Active = 1 " +
                      $"LEFT JOIN ({touches}) tc ON tc.MemberId = m.Id " +
                      $"WHERE {CampaignAudienceSql.Where(b, campaign, now)}";
        return $"SELECT x.rs, x.rw, x.rm, COUNT(*) FROM ({members}) x GROUP BY x.rs, x.rw, x.rm";
    }
}
