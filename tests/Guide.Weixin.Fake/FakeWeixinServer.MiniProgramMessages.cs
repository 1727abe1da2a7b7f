using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Guide.Weixin.Fake;

public sealed partial class FakeWeixinServer
{
    // A 1x1 grey PNG: enough for clients to check that an image came back.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==");

    private readonly Dictionary<(string OpenId, string TemplateId), int> _subscriptions = new();
    private readonly HashSet<string> _templates = new();
    private readonly List<FakeSubscribeMessage> _sent = new();
    private readonly HashSet<string> _pages = new(["pages/index/index"]);
    private readonly List<string> _scenes = new();

    /// <summary>The user accepted <paramref name="count"/> messages of a template (one acceptance = one message).</summary>
    public void GrantSubscription(string openId, string templateId, int count = 1)
    {
        lock (_lock)
        {
            _templates.Add(templateId);
            _subscriptions[(openId, templateId)] = _subscriptions.GetValueOrDefault((openId, templateId)) + count;
        }
    }

    public IReadOnlyList<FakeSubscribeMessage> SentSubscribeMessages
    {
        get { lock (_lock) return _sent.ToList(); }
    }

    /// <summary>A page the published mini program has (check_path refuses others with 41030).</summary>
    public void AddPage(string page)
    {
        lock (_lock) _pages.Add(page);
    }

    /// <summary>The scenes of every mini program code generated so far.</summary>
    public IReadOnlyList<string> GeneratedWxaCodeScenes
    {
        get { lock (_lock) return _scenes.ToList(); }
    }

    /// <summary>
    /// A valid message-push URL check (signature, timestamp, nonce, echostr) signed with the push token,
    /// as WeChat sends it when the URL is saved.
    /// </summary>
    public (string Signature, string Timestamp, string Nonce, string EchoStr) CreatePushUrlCheck()
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        return (FakeWeixinCrypto.SortedSha1(_options.PushToken, ts, nonce), ts, nonce, NewId(8));
    }

    private async Task SubscribeSendAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        var toUser = Str(body, "touser") ?? "";
        var templateId = Str(body, "template_id") ?? "";
        var data = new Dictionary<string, string>();
        if (body["data"] is JsonObject fields)
        {
            foreach (var (key, value) in fields)
            {
                var text = Str(value, "value");
                // thing.DATA is at most 20 characters; every key carries {"value": ...}.
                if (text is null || (key.StartsWith("thing", StringComparison.Ordinal) && text.Length > 20))
                {
                    await WriteJsonAsync(ctx, Error(47003, $"argument invalid! data.{key}.value invalid"));
                    return;
                }
                data[key] = text;
            }
        }
        if (data.Count == 0) { await WriteJsonAsync(ctx, Error(47003, "argument invalid! data is empty")); return; }
        JsonObject? error = null;
        lock (_lock)
        {
            if (!_options.Lenient)
            {
                if (!_templates.Contains(templateId)) error = Error(40037, "invalid template_id");
                else if (_subscriptions.GetValueOrDefault((toUser, templateId)) <= 0) error = Error(43101, "user refuse to accept the msg");
                else _subscriptions[(toUser, templateId)]--;
            }
            if (error is null)
                _sent.Add(new FakeSubscribeMessage(toUser, templateId, Str(body, "page"), Str(body, "miniprogram_state") ?? "formal", data));
        }
        await WriteJsonAsync(ctx, error ?? Ok());
    }

    private async Task WxaCodeAsync(HttpContext ctx)
    {
        var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
        var scene = Str(body, "scene") ?? "";
        var page = Str(body, "page");
        var checkPath = body["check_path"] is not JsonValue cp || !cp.TryGetValue<bool>(out var b) || b;
        if (scene.Length is 0 or > 32) { await WriteJsonAsync(ctx, Error(40097, "invalid args: scene")); return; }
        lock (_lock)
        {
            if (!_options.Lenient && checkPath && page is not null && !_pages.Contains(page)) page = null;
            else page ??= "pages/index/index";
            if (page is not null) _scenes.Add(scene);
        }
        if (page is null) { await WriteJsonAsync(ctx, Error(41030, "invalid page")); return; }
        ctx.Response.StatusCode = (int)HttpStatusCode.OK;
        ctx.Response.ContentType = "image/png";
        await ctx.Response.Body.WriteAsync(Png);
    }
}
