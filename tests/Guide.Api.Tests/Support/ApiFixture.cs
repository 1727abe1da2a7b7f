using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Domain.Common;
using Guide.Domain.Identity;
using Guide.Domain.Integration;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using Guide.Weixin.Fake;
using MediatR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Support;

/// <summary>
/// One Guide host (in process, real HTTP pipeline) on one fresh database, with its own fake WeChat server
/// on loopback. Each API test class runs once per provider through the two subclasses.
/// </summary>
public abstract class ApiFixture : IAsyncLifetime
{
    public const string AdminPassword = "correct-horse-battery";
    public static readonly string SigningKey = Convert.ToBase64String("guide-tests-signing-key-0123456789abcdef"u8.ToArray());

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private GuideApiFactory? _factory;
    private FakeWeixinServer? _weixin;

    public abstract string Provider { get; }

    /// <summary>Why this provider cannot run here (tests then skip; under CI=true the fixture fails instead).</summary>
    public string? Unavailable { get; protected set; }

    public FakeWeixinServer Weixin => _weixin ?? throw new InvalidOperationException("The fixture is not started.");

    public WebApplicationFactory<Program> Factory => _factory ?? throw new SkipException(Unavailable ?? "The fixture is not started.");

    /// <summary>Settings beyond the database and WeChat ones (e.g. jobs on).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [];

    /// <summary>The host over the given settings; a fixture variant may replace services (a fake clock, say).</summary>
    private protected virtual GuideApiFactory CreateFactory(IReadOnlyDictionary<string, string?> settings) => new(settings);

    /// <summary>Creates the database; returns its settings, or null when the provider is unavailable.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>?> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        if (database is null) return;
        _weixin = await FakeWeixinServer.StartAsync();
        var settings = new Dictionary<string, string?>(database)
        {
            ["Auth:SigningKey"] = SigningKey,
            ["Jobs:Enabled"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Guide.Api.Infrastructure.ProblemExceptionHandler"] = "Fatal",
        };
        foreach (var (key, value) in _weixin.WeixinConfiguration()) settings[key] = value;
        foreach (var (key, value) in ExtraSettings()) settings[key] = value;
        _factory = CreateFactory(settings);
        _ = _factory.Server; // start now: migrations run here, not inside the first test
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        if (_weixin is not null) await _weixin.DisposeAsync();
        await DropDatabaseAsync();
    }

    private Task<OperationContracts>? _contracts;

    /// <summary>A client whose every answer is checked against the OpenAPI document (<see cref="ContractCheck"/>).</summary>
    public HttpClient Client() => CheckedClient();

    /// <summary>An HTTP client through <paramref name="handlers"/>, each answer checked against the published OpenAPI document.</summary>
    public HttpClient CheckedClient(params DelegatingHandler[] handlers) =>
        Factory.CreateDefaultClient([new ContractCheck(Contracts), .. handlers]);

    private Task<OperationContracts> Contracts() =>
        LazyInitializer.EnsureInitialized(ref _contracts, () => OperationContracts.FetchAsync(Factory.CreateClient()));

    public HttpClient Client(string bearerToken)
    {
        var client = CheckedClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    /// <summary>Runs <paramref name="work"/> with a fresh scope of the host (its DbContext, its mediator).</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<GuideDbContext, Task> work) =>
        InScopeAsync<bool>(async sp => { await work(sp.GetRequiredService<GuideDbContext>()); return true; });

    /// <summary>Reads (or writes) the database directly with a fresh DbContext.</summary>
    public Task<T> DbAsync<T>(Func<GuideDbContext, Task<T>> work) =>
        InScopeAsync(sp => work(sp.GetRequiredService<GuideDbContext>()));

    public Task<T> SendAsync<T>(IRequest<T> request) =>
        InScopeAsync(sp => sp.GetRequiredService<IMediator>().Send(request));

    // --- test data builders --------------------------------------------------------------------------

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public async Task<StoreView> CreateStoreAsync(string? area = null) =>
        await SendAsync(new CreateStore(Unique("S").ToUpperInvariant()[..12], "门店 " + Unique("store"), area ?? Unique("area")));

    public async Task<ShoppingGuide> CreateGuideAsync(Guid storeId, GuideRole role = GuideRole.Guide, IEnumerable<string>? managedAreas = null, bool active = true)
    {
        var guide = new ShoppingGuide(Unique("wx-user"), "导购 " + Unique("g")[..8], storeId, role, managedAreas ?? [], null, DateTimeOffset.UtcNow);
        if (!active) guide.Update(guide.Name, storeId, role, managedAreas ?? [], null, false);
        await InScopeAsync(async db => { db.Guides.Add(guide); await db.SaveChangesAsync(); });
        return guide;
    }

    public record LoggedIn(Guid Id, string Token);

    public async Task<LoggedIn> LogInMemberAsync(string? openId = null, string? unionId = null)
    {
        var code = Weixin.IssueLoginCode(openId ?? Unique("openid"), unionId);
        var response = await Client().PostAsJsonAsync("/api/mp/session", new { code });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new LoggedIn(body.GetProperty("memberId").GetGuid(), body.GetProperty("accessToken").GetString()!);
    }

    public async Task<LoggedIn> LogInGuideAsync(ShoppingGuide guide)
    {
        var code = Weixin.IssueWeComOAuthCode(guide.WeComUserId);
        var response = await Client().PostAsJsonAsync("/api/guide/session", new { code });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new LoggedIn(body.GetProperty("id").GetGuid(), body.GetProperty("accessToken").GetString()!);
    }

    public async Task<AdminSession> CreateAdminAsync(string? userName = null) =>
        await SendAsync(new CreateAdmin(userName ?? Unique("hq"), "HQ 管理员", AdminPassword));

    public async Task<LoggedIn> LogInAdminAsync()
    {
        var admin = await CreateAdminAsync();
        var response = await Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = AdminPassword });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new LoggedIn(admin.AdminId, body.GetProperty("accessToken").GetString()!);
    }

    /// <summary>
    /// A registered client. By default one HQ allowed to charge by member id (the online mall's right), which
    /// most wallet tests use for brevity; <c>mayChargeByMemberId: false</c> is a till, which must use payment codes.
    /// </summary>
    public Task<IntegrationClientCredentials> CreateIntegrationClientAsync(bool mayChargeByMemberId = true) =>
        SendAsync(new CreateIntegrationClient(Unique("pos"), mayChargeByMemberId ? "网上商城" : "POS 收银", mayChargeByMemberId));

    /// <summary>An HTTP client that signs every request as the given integration client.</summary>
    public HttpClient IntegrationClient(IntegrationClientCredentials credentials, Func<DateTimeOffset>? clock = null) =>
        CheckedClient(new SigningHandler(credentials.KeyId, credentials.Secret, clock ?? (() => DateTimeOffset.UtcNow)));

    /// <summary>Moves a member into a store (as a guide's QR code or WeCom friendship would).</summary>
    public Task BindMemberAsync(Guid memberId, ShoppingGuide guide) =>
        InScopeAsync(async db =>
        {
            var member = await db.Members.FindAsync(memberId) ?? throw new InvalidOperationException("no member");
            member.BindExclusiveGuide(guide);
            await db.SaveChangesAsync();
        });
}

internal class GuideApiFactory(IReadOnlyDictionary<string, string?> settings, string environment = "Testing") : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // UseSetting, not ConfigureAppConfiguration: Program reads the database settings before Build().
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
