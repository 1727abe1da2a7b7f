using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Simulator;
using Guide.Api.Tests.Support;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Simulator;

/// <summary>
/// The API in simulator mode on a real loopback socket (Kestrel, not the in-memory test server): the fake WeChat
/// Pay must reach our webhook over HTTP, as WeChat Pay would. SQLite in a fresh folder, jobs off, so that a
/// credited recharge can only have come through the notify webhook.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly GuideApiFactory _factory;

    private SimulatorHost(GuideApiFactory factory) => _factory = factory;

    public static SimulatorHost Start(double autoPayAfterSeconds, bool simulator = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "guide-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var factory = new GuideApiFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataFolder"] = folder,
            ["Jobs:Enabled"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Simulator:Enabled"] = simulator ? "true" : "false",
            ["Simulator:AutoPayAfterSeconds"] = autoPayAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new SimulatorHost(factory);
    }

    public FakeWeixinServer Weixin => _factory.Services.GetRequiredService<SimulatedWeChat>().Server!;

    public HttpClient Client(string? token = null)
    {
        var client = _factory.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async Task<(Guid MemberId, string Token)> LogInShopperAsync(string code)
    {
        var body = await (await Client().PostAsJsonAsync("/api/mp/session", new { code })).JsonAsync();
        return (body.GetProperty("memberId").GetGuid(), body.GetProperty("accessToken").GetString()!);
    }

    public async Task<string> LogInHqAsync()
    {
        var response = await Client().PostAsJsonAsync("/api/admin/session", new { userName = "hq", password = "simulator-only" });
        return (await response.JsonAsync()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>A shopper (new every call) buys a new package: the recharge as the mini program gets it.</summary>
    public async Task<(Guid MemberId, string Token, Guid RechargeId, string OutTradeNo)> StartRechargeAsync(long price = 50_000, long gift = 5_000)
    {
        var hq = Client(await LogInHqAsync());
        var package = await (await hq.PostAsJsonAsync("/api/admin/recharge-packages",
            new { name = $"充{price / 100}送{gift / 100}", price, giftAmount = gift, levelGranted = 2 })).JsonAsync();
        var (memberId, token) = await LogInShopperAsync(Guid.NewGuid().ToString("N")[..12]);
        var response = await Client(token).PostAsJsonAsync("/api/mp/recharges", new { packageId = package.GetProperty("id").GetGuid() });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var recharge = (await response.JsonAsync()).GetProperty("recharge");
        return (memberId, token, recharge.GetProperty("id").GetGuid(), recharge.GetProperty("outTradeNo").GetString()!);
    }

    public async Task<JsonElement> RechargeAsync(string token, Guid rechargeId) =>
        await (await Client(token).GetAsync($"/api/mp/recharges/{rechargeId}")).JsonAsync();

    /// <summary>WeChat Pay's transaction id as our recharge recorded it (null until paid).</summary>
    public Task<string?> TransactionIdAsync(Guid rechargeId) =>
        InScopeAsync(sp => sp.GetRequiredService<Guide.Domain.Persistence.GuideDbContext>().Recharges.AsNoTracking()
            .Where(r => r.Id == rechargeId).Select(r => r.TransactionId).SingleAsync());

    /// <summary>Polls until <paramref name="done"/> holds (or fails after <paramref name="seconds"/>), as a newcomer would.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, double seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) Assert.Fail($"not done after {seconds} s; last: {value}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
