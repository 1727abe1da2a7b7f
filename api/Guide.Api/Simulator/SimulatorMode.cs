using Guide.Domain.Identity;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Simulator;

/// <summary>
/// Try Guide without a WeChat account: with <c>Simulator:Enabled=true</c> the host starts the fake WeChat
/// server (the one the tests use) on loopback in lenient mode, points every WeChat base URL at it and seeds a
/// demo store, a guide and an HQ admin. Any wx.login code X logs in the shopper <c>sim-openid-X</c>; WeCom
/// code X logs in the guide whose WeCom user id is X. Off unless configured; refused in Production.
/// </summary>
public static class SimulatorMode
{
    public const string DemoStoreCode = "SIM-001";
    public const string DemoGuideUserId = "sim-guide";
    public const string DemoManagerUserId = "sim-manager";
    public const string DemoAdminUserName = "hq";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Simulator:Enabled", false);

    public static async Task<FakeWeixinServer> StartAsync(WebApplication app)
    {
        if (app.Environment.IsProduction())
            throw new InvalidOperationException("Simulator:Enabled is set in Production. The simulator fakes WeChat log-in; it never runs in Production.");
        // Started on a flow that does not carry our execution context: a test host (WebApplicationFactory)
        // recognises "its" host by an AsyncLocal on that context and would otherwise also configure the fake's
        // web host as a test server, which then has no address.
        Task<FakeWeixinServer> starting;
        using (ExecutionContext.SuppressFlow())
            starting = Task.Run(() => FakeWeixinServer.StartAsync(new FakeWeixinOptions { Lenient = true }));
        var fake = await starting;
        ((IConfigurationBuilder)app.Configuration).AddInMemoryCollection(fake.WeixinConfiguration());
        return fake;
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
        var password = configuration["Simulator:AdminPassword"] ?? "simulator-only";
        if (!await db.HqAdmins.AnyAsync(a => a.UserName == DemoAdminUserName))
            db.HqAdmins.Add(new HqAdmin(DemoAdminUserName, "HQ Demo", password, now));
        await db.SaveChangesAsync();
        logger.LogWarning("SIMULATOR MODE: WeChat is faked. Log in as HQ with {User}/{Password}; guide code {Guide}; any wx.login code.",
            DemoAdminUserName, password, DemoGuideUserId);
    }
}
