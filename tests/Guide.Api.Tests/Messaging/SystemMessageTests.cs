using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Messaging;
using Guide.Domain.Points;
using Guide.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Messaging;

/// <summary>
/// The gateway's first users: the points-expiring reminder (account), recharge succeeded and recharge refunded (service) queue
/// one subscribe message each with HQ's template for the purpose, its keys filled from the fact; a repeated fact (the same day's
/// run, a repeated payment or refund notification) queues no second; no active template for the purpose: nothing. The tests of a
/// class run one after another on their own database, so each sets the purpose's template it needs.
/// </summary>
public abstract class SystemMessageTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Page = "pages/wallet/index";

    /// <summary>The purpose's template, new (the previous one retired), or none at all.</summary>
    private async Task<MessageTemplate?> TemplateAsync(MessagePurpose purpose, MessageKind kind, string[] keys, bool none = false)
    {
        await Api.InScopeAsync(async db =>
        {
            foreach (var old in await db.MessageTemplates.Where(t => t.Purpose == purpose).ToListAsync()) { old.Active = false; old.Purpose = null; }
            await db.SaveChangesAsync();
        });
        if (none) return null;
        var template = new MessageTemplate(purpose.ToString(), MessageChannel.Subscribe, kind, ApiFixture.Unique("tmpl"), keys, Page, DateTimeOffset.UtcNow)
            { Purpose = purpose };
        await Api.InScopeAsync(async db => { db.MessageTemplates.Add(template); await db.SaveChangesAsync(); });
        return template;
    }

    private Task<List<OutboundMessage>> MessagesAsync(Guid memberId) =>
        Api.DbAsync(db => db.OutboundMessages.AsNoTracking().Where(m => m.MemberId == memberId).ToListAsync());

    private static Dictionary<string, string> Data(OutboundMessage m) => JsonSerializer.Deserialize<Dictionary<string, string>>(m.DataJson!)!;

    private async Task<(Guid MemberId, string OpenId, Guid RechargeId, string OutTradeNo)> PaidRechargeAsync(int notifications = 1)
    {
        var package = await Api.SendAsync(new SaveRechargePackage(null, "充500送50", 50_000, 5_000, null, null, null, null, null));
        var openId = ApiFixture.Unique("openid");
        var member = await Api.LogInMemberAsync(openId);
        var body = await (await Api.Client(member.Token).PostAsJsonAsync("/api/mp/recharges", new { packageId = package.Id })).JsonAsync();
        var outTradeNo = body.GetProperty("recharge").GetProperty("outTradeNo").GetString()!;
        Api.Weixin.PayOrder(outTradeNo);
        var answers = await Task.WhenAll(Enumerable.Range(0, notifications).Select(async _ => (await Api.NotifyAsync(Api.Weixin.CreatePayNotification(outTradeNo))).StatusCode));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.NoContent, s));
        return (member.Id, openId, body.GetProperty("recharge").GetProperty("id").GetGuid(), outTradeNo);
    }

    private async Task<Guid> RefundAsync(Guid rechargeId, int notifications)
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var started = await (await hq.PostWithKeyAsync($"/api/admin/recharges/{rechargeId}/refund", new { })).JsonAsync();
        var outRefundNo = started.GetProperty("outRefundNo").GetString()!;
        Api.Weixin.SettleRefund(outRefundNo);
        var answers = await Task.WhenAll(Enumerable.Range(0, notifications).Select(async _ => (await Api.NotifyAsync(Api.Weixin.CreateRefundNotification(outRefundNo))).StatusCode));
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.NoContent, s));
        return started.GetProperty("id").GetGuid();
    }

    [SkippableFact]
    public async Task Points_expiring_queue_one_account_message_a_day_and_none_without_a_template()
    {
        await Api.SendAsync(new UpdatePointsSettings(PointsExpiryPolicy.RollingMonths, 1, 100, true, false, 0, PointsRefundPolicy.Debt));
        var template = (await TemplateAsync(MessagePurpose.PointsExpiring, MessageKind.Account, ["thing1", "number2", "time3"]))!;
        var member = await Api.LogInMemberAsync();
        await Api.SendAsync(new AdjustPoints(member.Id, 88, "test", Guid.NewGuid(), Guid.NewGuid().ToString()));
        Task RunAsync() => Api.InScopeAsync(sp => sp.GetRequiredService<PointsExpiryReminderRun>().RunAsync(40, CancellationToken.None));

        await Task.WhenAll(RunAsync(), RunAsync());
        await RunAsync();
        var message = Assert.Single(await MessagesAsync(member.Id));
        Assert.Equal((MessageChannel.Subscribe, MessageKind.Account, template.Id, MessageStatus.Queued, Page),
            (message.Channel, message.Kind, message.TemplateId, message.Status, message.Page));
        Assert.Matches($"^points-expiring:{member.Id:N}:\\d{{4}}-\\d{{2}}-\\d{{2}}$", message.SourceKey);
        var data = Data(message);
        Assert.Equal("88", data["number2"]);
        Assert.Equal("积分即将过期", data["thing1"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", data["time3"]);

        var other = await Api.LogInMemberAsync();
        await Api.SendAsync(new AdjustPoints(other.Id, 10, "test", Guid.NewGuid(), Guid.NewGuid().ToString()));
        await TemplateAsync(MessagePurpose.PointsExpiring, MessageKind.Account, [], none: true);
        await RunAsync();
        Assert.Empty(await MessagesAsync(other.Id));
        await Api.SendAsync(new UpdatePointsSettings(PointsExpiryPolicy.Never, null, 100, true, false, 7, PointsRefundPolicy.Debt));
    }

    [SkippableFact]
    public async Task A_paid_recharge_queues_one_service_message_however_often_the_payment_is_notified()
    {
        var template = (await TemplateAsync(MessagePurpose.RechargeSucceeded, MessageKind.Service, ["amount1", "time2", "character_string3", "thing4"]))!;
        var (memberId, _, rechargeId, outTradeNo) = await PaidRechargeAsync(notifications: 3);
        var message = Assert.Single(await MessagesAsync(memberId));
        Assert.Equal((MessageChannel.Subscribe, MessageKind.Service, template.Id, $"recharge-succeeded:{rechargeId:N}"),
            (message.Channel, message.Kind, message.TemplateId, message.SourceKey));
        var data = Data(message);
        Assert.Equal("¥500.00", data["amount1"]);
        Assert.Equal(outTradeNo, data["character_string3"]);
        // The settle job querying the same order later queues nothing more either.
        await Api.SendAsync(new SettlePendingRecharges(TimeSpan.Zero));
        Assert.Single(await MessagesAsync(memberId));
    }

    /// <summary>End to end: a paid recharge queues its message, the shopper accepts the template, the drain sends it through the fake WeChat and uses the acceptance.</summary>
    [SkippableFact]
    public async Task The_drain_sends_a_recharge_message_the_shopper_accepted_and_uses_the_acceptance()
    {
        var template = (await TemplateAsync(MessagePurpose.RechargeSucceeded, MessageKind.Service, ["amount1", "time2", "character_string3", "thing4"]))!;
        var (memberId, openId, _, _) = await PaidRechargeAsync();
        // The shopper accepted the template in the mini program (ours and WeChat's count): the drain sends it and uses the acceptance.
        Api.Weixin.GrantSubscription(openId, template.ExternalId);
        Api.Weixin.AddPage(Page);
        Assert.Equal(HttpStatusCode.OK, (await Api.Client((await Api.LogInMemberAsync(openId)).Token)
            .PostAsJsonAsync("/api/mp/me/subscriptions/accepted", new { templateIds = new[] { template.ExternalId } })).StatusCode);
        await Api.InScopeAsync(sp => sp.GetRequiredService<MessageDrainRun>().RunAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        var sent = Assert.Single(await MessagesAsync(memberId));
        Assert.True(sent.Status == MessageStatus.Sent, $"{sent.Status} {sent.Reason} {sent.Detail}");
        Assert.Contains(Api.Weixin.SentSubscribeMessages, m => m.ToUser == openId && m.TemplateId == template.ExternalId && m.Data["amount1"] == "¥500.00");
        Assert.Equal(0, await Api.DbAsync(db => db.SubscribeQuotas.Where(q => q.MemberId == memberId && q.WeixinTemplateId == template.ExternalId)
            .Select(q => q.Remaining).SingleAsync()));
    }

    [SkippableFact]
    public async Task A_refunded_recharge_queues_one_service_message_however_often_the_refund_is_notified()
    {
        await TemplateAsync(MessagePurpose.RechargeSucceeded, MessageKind.Service, [], none: true);
        var template = (await TemplateAsync(MessagePurpose.RechargeRefunded, MessageKind.Service, ["amount1", "date2", "phrase3"]))!;
        var (memberId, _, _, _) = await PaidRechargeAsync();
        Assert.Empty(await MessagesAsync(memberId)); // no recharge-succeeded template: nothing for the payment
        var refundId = await RefundAsync((await Api.DbAsync(db => db.Recharges.Where(r => r.MemberId == memberId).Select(r => r.Id).SingleAsync())), notifications: 3);
        var message = Assert.Single(await MessagesAsync(memberId));
        Assert.Equal((MessageKind.Service, template.Id, $"recharge-refunded:{refundId:N}"), (message.Kind, message.TemplateId, message.SourceKey));
        var data = Data(message);
        Assert.Equal("¥500.00", data["amount1"]);
        Assert.Equal("退款成功", data["phrase3"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", data["date2"]);

        await TemplateAsync(MessagePurpose.RechargeRefunded, MessageKind.Service, [], none: true);
        var (other, _, otherRecharge, _) = await PaidRechargeAsync();
        await RefundAsync(otherRecharge, notifications: 2);
        Assert.Empty(await MessagesAsync(other));
    }
}

public sealed class SystemMessageTestsOnSqlite(SqliteApi fixture) : SystemMessageTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class SystemMessageTestsOnMySql(MySqlApi fixture) : SystemMessageTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
