using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guide.Weixin.Fake;

/// <summary>
/// A loopback WeChat, WeCom and WeChat Pay server speaking the documented protocol (weixin.md), for tests
/// and the simulator. One Kestrel listener, the three services under <c>/mp</c>, <c>/wecom</c> and
/// <c>/pay</c>. Every control method is thread-safe.
/// </summary>
public sealed partial class FakeWeixinServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeWeixinOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _calls = new();
    // A null entry lets its call through (FailNext with afterCalls).
    private readonly Dictionary<string, Queue<(int Code, string Message)?>> _failures = new();

    private FakeWeixinServer(WebApplication app, FakeWeixinOptions options)
    {
        _app = app;
        _options = options;
        // Lenient (simulator) mode: any code works, as described on FakeWeixinOptions.Lenient.
        _loginCodes = new("login-", options.Lenient ? code => new LoginCode("sim-openid-" + code, null) : null);
        _phoneCodes = new("phone-", options.Lenient
            ? code => new PhoneCode(code.Length == 11 && code.All(char.IsAsciiDigit) ? code : "13800000000", options.AppId)
            : null);
        _oauthCodes = new("wecom-", options.Lenient ? code => new OAuthCode(code, null) : null);
    }

    public FakeWeixinOptions Options => _options;
    public Uri BaseUrl { get; private set; } = null!;
    public Uri MiniProgramBaseUrl => new(BaseUrl, "mp");
    public Uri WeComBaseUrl => new(BaseUrl, "wecom");
    public Uri PayBaseUrl => new(BaseUrl, "pay");

    /// <summary>Starts the server on 127.0.0.1 (a free port unless <see cref="FakeWeixinOptions.Port"/> is set).</summary>
    public static async Task<FakeWeixinServer> StartAsync(FakeWeixinOptions? options = null, CancellationToken ct = default)
    {
        options ??= new FakeWeixinOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port ?? 0));
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeWeixinServer(app, options);
        server.InitializeKeys();
        app.UseRouting();
        server.MapMiniProgram(app);
        server.MapWeCom(app);
        server.MapPay(app);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>
    /// Every <c>Weixin:*</c> configuration key pointing Guide.Weixin at this server; add them to a host's
    /// configuration as they are.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> WeixinConfiguration()
    {
        KeyValuePair<string, string?> Kv(string key, string? value) => new("Weixin:" + key, value);
        yield return Kv("BusyRetryDelayMilliseconds", "20");
        yield return Kv("MiniProgram:BaseUrl", MiniProgramBaseUrl.ToString());
        yield return Kv("MiniProgram:AppId", _options.AppId);
        yield return Kv("MiniProgram:AppSecret", _options.AppSecret);
        yield return Kv("MiniProgram:PushToken", _options.PushToken);
        yield return Kv("MiniProgram:PushEncodingAesKey", _options.PushEncodingAesKey);
        yield return Kv("WeCom:BaseUrl", WeComBaseUrl.ToString());
        yield return Kv("WeCom:CorpId", _options.CorpId);
        yield return Kv("WeCom:AgentId", _options.AgentId);
        yield return Kv("WeCom:AgentSecret", _options.AgentSecret);
        yield return Kv("WeCom:ContactSecret", _options.ContactSecret);
        yield return Kv("WeCom:CallbackToken", _options.CallbackToken);
        yield return Kv("WeCom:CallbackEncodingAesKey", _options.CallbackEncodingAesKey);
        foreach (var kv in PayConfiguration()) yield return Kv("Pay:" + kv.Key, kv.Value);
    }

    /// <summary>How many times <paramref name="api"/> (a <see cref="FakeWeixinApis"/> name) was called.</summary>
    public int Calls(string api)
    {
        lock (_lock) return _calls.GetValueOrDefault(api);
    }

    /// <summary>
    /// The next call of <paramref name="api"/> fails with this errcode (for WeChat Pay: HTTP 500 for -1,
    /// else 400, with code <paramref name="errmsg"/>). Queue several to fail several calls. With
    /// <paramref name="afterCalls"/>, that many calls pass first (a failure in the middle of a paged listing).
    /// </summary>
    public void FailNext(string api, int errcode, string errmsg, int afterCalls = 0)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(api, out var queue)) _failures[api] = queue = new();
            for (var i = 0; i < afterCalls; i++) queue.Enqueue(null);
            queue.Enqueue((errcode, errmsg));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false); // scheduled payments and notification retries
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        DeleteKeyFolder();
    }

    private (int Code, string Message)? CountAndTakeFailure(string api)
    {
        lock (_lock)
        {
            _calls[api] = _calls.GetValueOrDefault(api) + 1;
            return _failures.TryGetValue(api, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
        }
    }

    /// <summary>Maps a WeChat/WeCom-style endpoint: errors are <c>{"errcode","errmsg"}</c> in an HTTP 200 body.</summary>
    private void MapWx(IEndpointRouteBuilder app, string method, string pattern, string api, Func<HttpContext, Task> handler) =>
        app.MapMethods(pattern, [method], async ctx =>
        {
            if (CountAndTakeFailure(api) is { } failure)
            {
                await WriteJsonAsync(ctx, Error(failure.Code, failure.Message)).ConfigureAwait(false);
                return;
            }
            await handler(ctx).ConfigureAwait(false);
        });

    internal static JsonObject Error(int code, string message) => new() { ["errcode"] = code, ["errmsg"] = message };

    internal static JsonObject Ok(JsonObject? fields = null)
    {
        var json = new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" };
        if (fields is not null)
            foreach (var (key, value) in fields.ToList())
            {
                fields.Remove(key);
                json[key] = value;
            }
        return json;
    }

    internal static async Task WriteJsonAsync(HttpContext ctx, JsonNode json, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(json.ToJsonString()).ConfigureAwait(false);
    }

    internal static async Task<JsonObject> ReadJsonAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        try { return JsonNode.Parse(text) as JsonObject ?? new JsonObject(); }
        catch (System.Text.Json.JsonException) { return new JsonObject(); }
    }

    internal static string NewId(int bytes = 16) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private static string? Str(JsonNode? node, string name) =>
        node?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
