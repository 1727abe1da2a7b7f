using FluentValidation;
using Guide.Domain.Identity;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using Guide.Weixin.Fake;
using MediatR;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Simulator;

/// <summary>
/// Try Guide without a WeChat account: with <c>Simulator:Enabled=true</c> the host starts the fake WeChat
/// server (the one the tests use) on loopback in lenient mode, points every WeChat base URL at it and seeds a
/// demo store, a guide, a manager, a member of the guide and an HQ admin. Any wx.login code X logs in the shopper
/// <c>sim-openid-X</c>; WeCom code X logs in the guide whose WeCom user id is X. WeChat Pay pays every order
/// <c>Simulator:AutoPayAfterSeconds</c> after its prepay (and settles every refund as long after it was asked),
/// or when <c>POST /api/simulator/pay/{outTradeNo}</c> says so; either way the signed notification goes to the
/// notify URL our prepay sent: <c>Weixin:Pay:NotifyUrl</c> when configured, else our own
/// <c>/webhooks/wxpay/notify</c>. Off unless configured; refused in Production.
/// </summary>
public static class SimulatorMode
{
    public const string DemoStoreCode = "SIM-001";
    public const string DemoGuideUserId = "sim-guide";
    public const string DemoManagerUserId = "sim-manager";
    public const string DemoAdminUserName = "hq";
    /// <summary>wx.login code <c>demo</c> logs in as this member, whom the demo guide serves.</summary>
    public const string DemoMemberOpenId = "sim-openid-demo";
    public const string NotifyPath = "/webhooks/wxpay/notify";
    public const double DefaultAutoPayAfterSeconds = 3;

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Simulator:Enabled", false);

    /// <summary>Registered whatever the mode (cheap): the simulator's requests, and the holder of its fake server.</summary>
    public static IServiceCollection AddGuideSimulator(this IServiceCollection services)
    {
        services.AddSingleton<SimulatedWeChat>();
        // The domain registers what its own assembly holds; these live with the simulator, in the API.
        services.AddScoped<IRequestHandler<PaySimulatedOrder, SimulatedPayment>, PaySimulatedOrderHandler>();
        services.AddScoped<IRequestHandler<SettleSimulatedRefund, SimulatedRefund>, SettleSimulatedRefundHandler>();
        services.AddSingleton<IValidator<PaySimulatedOrder>, PaySimulatedOrderValidator>();
        services.AddSingleton<IValidator<SettleSimulatedRefund>, SettleSimulatedRefundValidator>();
        return services;
    }

    public static async Task<FakeWeixinServer> StartAsync(WebApplication app)
    {
        if (app.Environment.IsProduction())
            throw new InvalidOperationException("Simulator:Enabled is set in Production. The simulator fakes WeChat log-in; it never runs in Production.");
        var configuration = app.Configuration;
        // A notify URL someone configured (a tunnel, another host) is what the prepay sends; else our own address,
        // known once we listen (ApplicationStarted, before the first request can start a recharge).
        var configuredNotifyUrl = configuration["Weixin:Pay:NotifyUrl"] is { Length: > 0 } url ? url : null;
        var autoPay = configuration.GetValue("Simulator:AutoPayAfterSeconds", DefaultAutoPayAfterSeconds);
        var options = new FakeWeixinOptions
        {
            Lenient = true,
            PayNotifyUrl = configuredNotifyUrl,
            AutoPayAfter = autoPay > 0 ? TimeSpan.FromSeconds(autoPay) : null,
            Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Guide.Simulator.WeChatPay"),
        };
        // Started on a flow that does not carry our execution context: a test host (WebApplicationFactory)
        // recognises "its" host by an AsyncLocal on that context and would otherwise also configure the fake's
        // web host as a test server, which then has no address.
        Task<FakeWeixinServer> starting;
        using (ExecutionContext.SuppressFlow())
            starting = Task.Run(() => FakeWeixinServer.StartAsync(options));
        var fake = await starting;
        ((IConfigurationBuilder)app.Configuration).AddInMemoryCollection(fake.WeixinConfiguration());
        if (configuredNotifyUrl is null)
            app.Lifetime.ApplicationStarted.Register(() => ((IConfigurationBuilder)app.Configuration)
                .AddInMemoryCollection([new("Weixin:Pay:NotifyUrl", OwnNotifyUrl(app.Services))]));
        app.Services.GetRequiredService<SimulatedWeChat>().Server = fake;
        return fake;
    }

    /// <summary>Our webhook at the first address we listen on (http preferred; a wildcard host becomes loopback).</summary>
    internal static string OwnNotifyUrl(IServiceProvider services)
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                      ?? addresses.FirstOrDefault() ?? "http://localhost";
        foreach (var wildcard in new[] { "://[::]", "://0.0.0.0", "://+", "://*" })
            address = address.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
        return address.TrimEnd('/') + NotifyPath;
    }

    public static async Task SeedAsync(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();
        var now = DateTimeOffset.UtcNow;
        var store = await db.Stores.SingleOrDefaultAsync(s => s.Code == DemoStoreCode);
        if (store is null)
        {
            store = new Store(DemoStoreCode, "演示门店 Demo Store", "华东 East", now);
            db.Stores.Add(store);
        }
        if (!await db.Guides.AnyAsync(g => g.WeComUserId == DemoGuideUserId))
            db.Guides.Add(new ShoppingGuide(DemoGuideUserId, "导购小王 Demo Guide", store.Id, GuideRole.Guide, [], null, now));
        if (!await db.Guides.AnyAsync(g => g.WeComUserId == DemoManagerUserId))
            db.Guides.Add(new ShoppingGuide(DemoManagerUserId, "店长小李 Demo Manager", store.Id, GuideRole.StoreManager, [], null, now));
        await db.SaveChangesAsync();
        if (!await db.Members.AnyAsync(m => m.OpenId == DemoMemberOpenId))
        {
            var guide = await db.Guides.SingleAsync(g => g.WeComUserId == DemoGuideUserId);
            var member = new Member(DemoMemberOpenId, null, now);
            member.UpdateProfile("演示会员 Demo Member", Gender.Unknown, null);
            member.BindPhone("13900000000");
            member.BindExclusiveGuide(guide);
            db.Members.Add(member);
        }
        var password = configuration["Simulator:AdminPassword"] ?? "simulator-only";
        if (!await db.HqAdmins.AnyAsync(a => a.UserName == DemoAdminUserName))
            db.HqAdmins.Add(new HqAdmin(DemoAdminUserName, "HQ Demo", password, now));
        await db.SaveChangesAsync();
        logger.LogWarning("SIMULATOR MODE: WeChat is faked. Log in as HQ with {User}/{Password}; guide code {Guide}; any wx.login code (\"demo\": the guide's member); WeChat Pay pays orders {Seconds} s after the prepay or on POST /api/simulator/pay/{{outTradeNo}}.",
            DemoAdminUserName, password, DemoGuideUserId, configuration.GetValue("Simulator:AutoPayAfterSeconds", DefaultAutoPayAfterSeconds));
    }
}
