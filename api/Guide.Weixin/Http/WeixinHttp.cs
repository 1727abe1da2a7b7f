using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Guide.Weixin.Http;

/// <summary>Names of the HttpClients registered through IHttpClientFactory.</summary>
public static class WeixinHttpClientNames
{
    public const string MiniProgram = "Guide.Weixin.MiniProgram";
    public const string WeCom = "Guide.Weixin.WeCom";
    public const string Pay = "Guide.Weixin.Pay";
}

/// <summary>The JSON conventions shared by api.weixin.qq.com and qyapi.weixin.qq.com.</summary>
internal static class WeixinHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Builds an absolute URI under a base that may carry a path prefix (the fake uses one).</summary>
    public static Uri Build(string baseUrl, string path, params (string Name, string? Value)[] query)
    {
        var sb = new StringBuilder(baseUrl.TrimEnd('/')).Append('/').Append(path.TrimStart('/'));
        var first = true;
        foreach (var (name, value) in query)
        {
            if (value is null) continue;
            sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return new Uri(sb.ToString());
    }

    public static HttpContent JsonBody(object body) =>
        new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, string api, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{api} answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
        JsonObject? json;
        try { json = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException e) { throw new WeixinApiException(WeixinApiException.InvalidResponseCode, "response is not JSON: " + e.Message, api); }
        if (json is null) throw new WeixinApiException(WeixinApiException.InvalidResponseCode, "response is not a JSON object", api);
        ThrowOnError(json, api);
        return json;
    }

    /// <summary>Both WeChat and WeCom report failure as a non-zero <c>errcode</c> in an HTTP 200 body.</summary>
    public static void ThrowOnError(JsonObject json, string api)
    {
        var code = json["errcode"]?.GetValue<int>() ?? 0;
        if (code != 0)
            throw new WeixinApiException(code, json["errmsg"]?.GetValue<string>() ?? "", api);
    }

    public static string RequiredString(JsonObject json, string name, string api) =>
        json[name]?.GetValue<string>() is { Length: > 0 } value
            ? value
            : throw new WeixinApiException(WeixinApiException.InvalidResponseCode, $"response has no {name}", api);

    // A node that is not an object (an array or a value where an object belongs) reads as absent: the JsonNode
    // indexer would throw InvalidOperationException, which callers do not expect from a malformed answer.
    public static string? OptionalString(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    public static long OptionalLong(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonValue v
            ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<string>(out var s) && long.TryParse(s, out var p) ? p : 0
            : 0;

    public static int OptionalInt(JsonNode? node, string name) => (int)OptionalLong(node, name);

    public static MediaTypeWithQualityHeaderValue AcceptJson { get; } = new("application/json");
}
