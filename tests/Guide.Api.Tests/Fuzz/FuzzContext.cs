using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Integration;
using Guide.Domain.Organization;
using Guide.Domain.Wallets;
using Guide.Weixin.Fake;

namespace Guide.Api.Tests.Fuzz;

/// <summary>Who calls (a token or a signature per audience) and what exists (ids a valid-looking request names).</summary>
public sealed class FuzzContext
{
    public required ApiFixture Api { get; init; }
    public required HttpClient Plain { get; init; }
    public required HttpClient Signed { get; init; }
    public required IntegrationClientCredentials Integration { get; init; }
    public required string MemberToken { get; init; }
    public required string GuideToken { get; init; }
    public required string AdminToken { get; init; }
    public required Guid MemberId { get; init; }
    /// <summary>A store only the fuzz changes (the guide's own store stays as it is, so the guide token keeps working).</summary>
    public required Guid StoreId { get; init; }
    public required string StoreCode { get; init; }
    public required string GuideWeComUserId { get; init; }
    public required Guid PackageId { get; init; }
    /// <summary>A paid recharge of the member (credited by a verified WeChat Pay notification).</summary>
    public required Guid RechargeId { get; init; }
    /// <summary>That recharge's notification, for the webhook's base request (WeChat Pay resends; we answer 204 again).</summary>
    public required FakePayNotification PaidNotification { get; init; }
    /// <summary>A charge of the integration client, for refunds to name.</summary>
    public required string ChargedDocumentNumber { get; init; }

    public static async Task<FuzzContext> CreateAsync(ApiFixture api)
    {
        var member = await api.LogInMemberAsync();
        var guideStore = await api.CreateStoreAsync();
        var fuzzStore = await api.CreateStoreAsync();
        var manager = await api.CreateGuideAsync(guideStore.Id, GuideRole.StoreManager);
        await api.BindMemberAsync(member.Id, manager);
        var guide = await api.LogInGuideAsync(manager);
        var phone = await api.Client(member.Token).PostAsJsonAsync("/api/mp/me/phone", new { code = api.Weixin.IssuePhoneCode("13800138000") });
        phone.EnsureSuccessStatusCode(); // the integration lookup's base request finds the member
        var admin = await api.LogInAdminAsync();
        var credentials = await api.CreateIntegrationClientAsync();
        await api.CreditAsync(member.Id, 1_000_000, 100_000);

        var package = await api.SendAsync(new SaveRechargePackage(null, "fuzz 充值", 10_000, 1_000, null, null, null, null, null));
        var recharge = await api.SendAsync(new StartRecharge(member.Id, package.Id));
        api.Weixin.PayOrder(recharge.Recharge.OutTradeNo);
        var notification = api.Weixin.CreatePayNotification(recharge.Recharge.OutTradeNo);

        var plain = Timed(api.CheckedClient());
        var paid = await plain.SendAsync(WebhookRequest(notification.Body, notification.Headers));
        if (!paid.IsSuccessStatusCode) throw new InvalidOperationException($"The fuzz's recharge was not credited: {(int)paid.StatusCode}");

        var signed = Timed(api.IntegrationClient(credentials));
        var documentNumber = "FZ-CHARGED-1";
        var charge = await signed.PostAsJsonAsync("/api/integration/wallet/charges", new { documentNumber, amount = 5_000, memberId = member.Id });
        charge.EnsureSuccessStatusCode();

        return new FuzzContext
        {
            Api = api, Plain = plain, Signed = signed, Integration = credentials,
            MemberToken = member.Token, GuideToken = guide.Token, AdminToken = admin.Token, MemberId = member.Id,
            StoreId = fuzzStore.Id, StoreCode = fuzzStore.Code, GuideWeComUserId = manager.WeComUserId,
            PackageId = package.Id, RechargeId = recharge.Recharge.Id, PaidNotification = notification, ChargedDocumentNumber = documentNumber,
        };
    }

    private static HttpClient Timed(HttpClient client)
    {
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    public static HttpRequestMessage WebhookRequest(string body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/wxpay/notify")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}
