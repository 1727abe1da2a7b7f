using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guide.Weixin.Http;

namespace Guide.Weixin.Pay;

/// <summary>Maps WeChat Pay's JSON to our records; tolerant of fields it does not know.</summary>
internal static class WeChatPayJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>RFC 3339 in China time, the form WeChat Pay documents (2018-06-08T10:34:56+08:00).</summary>
    public static string Rfc3339(DateTimeOffset time) =>
        time.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Time(JsonNode? node, string name) =>
        WeixinHttp.OptionalString(node, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t : null;

    public static long? Long(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    // Duplicate property names are refused while parsing: JsonObject would otherwise throw ArgumentException
    // on first access, far from here, where callers expect only our own exceptions.
    private static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false };

    /// <summary>The text as a JSON object, or null when it is not one (malformed, another kind of value, repeated names).</summary>
    public static JsonObject? ParseObject(string text)
    {
        try { return JsonNode.Parse(text, documentOptions: StrictDocument) as JsonObject; }
        catch (JsonException) { return null; }
    }

    public static PayTransaction Transaction(JsonObject json) => new(
        WeixinHttp.OptionalString(json, "appid") ?? "",
        WeixinHttp.OptionalString(json, "mchid") ?? "",
        WeixinHttp.OptionalString(json, "out_trade_no") ?? "",
        WeixinHttp.OptionalString(json, "transaction_id"),
        WeixinHttp.OptionalString(json, "trade_type"),
        WeixinHttp.OptionalString(json, "trade_state") ?? "",
        WeixinHttp.OptionalString(json, "trade_state_desc"),
        Time(json, "success_time"),
        WeixinHttp.OptionalString(json["payer"], "openid"),
        Long(json["amount"], "total"),
        Long(json["amount"], "payer_total"),
        WeixinHttp.OptionalString(json["amount"], "currency"),
        WeixinHttp.OptionalString(json, "attach"));

    /// <summary>The API answers <c>status</c>; the notification says <c>refund_status</c>.</summary>
    public static PayRefund Refund(JsonObject json) => new(
        WeixinHttp.OptionalString(json, "refund_id") ?? "",
        WeixinHttp.OptionalString(json, "out_refund_no") ?? "",
        WeixinHttp.OptionalString(json, "transaction_id"),
        WeixinHttp.OptionalString(json, "out_trade_no"),
        WeixinHttp.OptionalString(json, "status") ?? WeixinHttp.OptionalString(json, "refund_status") ?? "",
        Time(json, "success_time"),
        Time(json, "create_time"),
        Long(json["amount"], "refund") ?? 0,
        Long(json["amount"], "total") ?? 0,
        Long(json["amount"], "payer_refund"),
        WeixinHttp.OptionalString(json, "user_received_account"),
        WeixinHttp.OptionalString(json, "mchid"));
}
