using System.Text.Json.Nodes;
using Guide.Weixin.Http;
using Guide.Weixin.Tokens;
using Microsoft.Extensions.Options;

namespace Guide.Weixin.MiniProgram;

/// <summary><see cref="IMiniProgramClient"/> over HTTP, with the token from <c>/cgi-bin/stable_token</c>.</summary>
public sealed class MiniProgramClient : IMiniProgramClient
{
    private readonly IHttpClientFactory _http;
    private readonly IOptionsMonitor<WeixinOptions> _options;
    private readonly WeixinCallPolicy _policy;

    internal MiniProgramClient(IHttpClientFactory http, IOptionsMonitor<WeixinOptions> options, WeixinCallPolicy policy)
    {
        _http = http;
        _options = options;
        _policy = policy;
    }

    private MiniProgramOptions Options => _options.CurrentValue.MiniProgram;
    private string TokenKey => $"mp:{Options.AppId}";
    private HttpClient Client() => _http.CreateClient(WeixinHttpClientNames.MiniProgram);

    public Task<MiniProgramSession> Code2SessionAsync(string jsCode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsCode);
        const string api = "jscode2session";
        return _policy.RunAsync(api, async ct =>
        {
            var o = Options;
            var uri = WeixinHttp.Build(o.BaseUrl, "sns/jscode2session",
                ("appid", o.AppId), ("secret", o.AppSecret), ("js_code", jsCode), ("grant_type", "authorization_code"));
            using var response = await Client().GetAsync(uri, ct).ConfigureAwait(false);
            var json = await WeixinHttp.ReadObjectAsync(response, api, ct).ConfigureAwait(false);
            return new MiniProgramSession(
                WeixinHttp.RequiredString(json, "openid", api),
                WeixinHttp.OptionalString(json, "unionid"),
                WeixinHttp.RequiredString(json, "session_key", api));
        }, cancellationToken);
    }

    public Task<MiniProgramPhoneNumber> GetPhoneNumberAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        const string api = "getuserphonenumber";
        return PostWithTokenAsync(api, "wxa/business/getuserphonenumber", new { code }, json =>
        {
            var info = json["phone_info"] as JsonObject
                       ?? throw new WeixinApiException(WeixinApiException.InvalidResponseCode, "response has no phone_info", api);
            // The watermark proves the number was issued for our app, not replayed from another one.
            var watermarkAppId = WeixinHttp.OptionalString(info["watermark"], "appid");
            if (watermarkAppId != Options.AppId)
                throw new WeixinApiException(WeixinApiException.InvalidResponseCode,
                    $"watermark appid {watermarkAppId} is not ours", api);
            return new MiniProgramPhoneNumber(
                WeixinHttp.RequiredString(info, "phoneNumber", api),
                WeixinHttp.RequiredString(info, "purePhoneNumber", api),
                WeixinHttp.OptionalString(info, "countryCode") ?? "86");
        }, cancellationToken);
    }

    public Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new Dictionary<string, object>
        {
            ["touser"] = message.ToUser,
            ["template_id"] = message.TemplateId,
            ["data"] = message.Data.ToDictionary(kv => kv.Key, kv => new { value = kv.Value }),
            ["miniprogram_state"] = message.MiniProgramState,
            ["lang"] = message.Lang,
        };
        if (message.Page is not null) body["page"] = message.Page;
        return PostWithTokenAsync("subscribe/send", "cgi-bin/message/subscribe/send", body, _ => true, cancellationToken);
    }

    public Task<WxaCodeImage> GetUnlimitedWxaCodeAsync(WxaCodeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Scene) || request.Scene.Length > 32)
            throw new ArgumentException("scene is 1 to 32 visible characters", nameof(request));
        const string api = "getwxacodeunlimit";
        var body = new Dictionary<string, object>
        {
            ["scene"] = request.Scene,
            ["check_path"] = request.CheckPath,
            ["env_version"] = request.EnvVersion,
            ["width"] = request.Width,
        };
        if (request.Page is not null) body["page"] = request.Page;
        return _policy.WithTokenAsync(TokenKey, FetchStableTokenAsync, api, async (token, ct) =>
        {
            var uri = WeixinHttp.Build(Options.BaseUrl, "wxa/getwxacodeunlimit", ("access_token", token));
            using var content = WeixinHttp.JsonBody(body);
            using var response = await Client().PostAsync(uri, content, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            // Success is the image itself; an error is a JSON body (whatever its content type says).
            if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !(bytes.Length > 0 && bytes[0] == (byte)'{'))
                return new WxaCodeImage(bytes, mediaType);
            JsonObject? json = null;
            try { json = JsonNode.Parse(bytes) as JsonObject; }
            catch (System.Text.Json.JsonException) { }
            if (json is not null) WeixinHttp.ThrowOnError(json, api);
            throw new WeixinApiException(WeixinApiException.InvalidResponseCode, $"unexpected {mediaType} answer", api);
        }, cancellationToken);
    }

    /// <summary>The current access token (stable_token), shared through the token store.</summary>
    public Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default) =>
        _policy.Tokens.GetAsync(TokenKey, FetchStableTokenAsync, null, cancellationToken);

    private Task<T> PostWithTokenAsync<T>(string api, string path, object body, Func<JsonObject, T> map, CancellationToken cancellationToken) =>
        _policy.WithTokenAsync(TokenKey, FetchStableTokenAsync, api, async (token, ct) =>
        {
            var uri = WeixinHttp.Build(Options.BaseUrl, path, ("access_token", token));
            using var content = WeixinHttp.JsonBody(body);
            using var response = await Client().PostAsync(uri, content, ct).ConfigureAwait(false);
            return map(await WeixinHttp.ReadObjectAsync(response, api, ct).ConfigureAwait(false));
        }, cancellationToken);

    private async Task<FetchedAccessToken> FetchStableTokenAsync(string? rejectedToken, CancellationToken cancellationToken)
    {
        var fetched = await RequestStableTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false);
        // Normal mode returns the current token until 5 minutes before expiry. If that is the very token just
        // refused, only the rationed force mode (20 a day, 30 s apart) replaces it. Source:
        // https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken (注意事项).
        if (rejectedToken is not null && fetched.Value == rejectedToken)
            fetched = await RequestStableTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
        return fetched;
    }

    private Task<FetchedAccessToken> RequestStableTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        const string api = "stable_token";
        return _policy.RunAsync(api, async ct =>
        {
            var o = Options;
            var uri = WeixinHttp.Build(o.BaseUrl, "cgi-bin/stable_token");
            using var content = WeixinHttp.JsonBody(new Dictionary<string, object>
            {
                ["grant_type"] = "client_credential",
                ["appid"] = o.AppId,
                ["secret"] = o.AppSecret,
                ["force_refresh"] = forceRefresh,
            });
            using var response = await Client().PostAsync(uri, content, ct).ConfigureAwait(false);
            var json = await WeixinHttp.ReadObjectAsync(response, api, ct).ConfigureAwait(false);
            return new FetchedAccessToken(WeixinHttp.RequiredString(json, "access_token", api),
                TimeSpan.FromSeconds(WeixinHttp.OptionalLong(json, "expires_in") is > 0 and var s ? s : 7200));
        }, cancellationToken);
    }
}
