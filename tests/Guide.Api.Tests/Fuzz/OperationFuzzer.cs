using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guide.Api.Auth;
using Guide.Api.Tests.Support;
using Guide.Weixin.Fake;

namespace Guide.Api.Tests.Fuzz;

/// <summary>
/// Sends one operation a valid-looking request and then that request with one thing wrong at a time: each
/// field, each parameter, the body as a whole, the content type, the headers. Every answer must be below 500,
/// and every 4xx a problem (application/problem+json) with a <c>code</c>; the WeChat Pay webhook answers in
/// WeChat Pay's own format (<c>{"code":"FAIL",...}</c>, application/json), as its protocol asks.
/// </summary>
public sealed class OperationFuzzer(FuzzContext context, Random random)
{
    private enum Audience { Member, Guide, Hq, Integration, Webhook }

    /// <summary>Operations whose body the document does not describe: what the fuzz sends them.</summary>
    private static readonly Dictionary<string, string> RawBodyOperations = new()
    {
        ["POST /api/admin/guides/import"] = "csv",
        ["POST /api/admin/mall/items/{itemId}/codes"] = "csv",
        ["POST /webhooks/wxpay/notify"] = "wechat-pay",
        ["POST /webhooks/wecom"] = "wecom",
        // Actions on a resource that take no body.
        ["POST /api/admin/integration-clients/{clientId}/disable"] = "none",
        ["POST /api/admin/integration-clients/{clientId}/enable"] = "none",
        ["POST /api/admin/integration-clients/{clientId}/secret"] = "none",
        ["POST /api/admin/mall/items/{itemId}/archive"] = "none",
        ["POST /api/mp/mall/redemptions/{redemptionId}/cancel"] = "none",
        // Care plans (issue 19, part 1): the imported list's CSV, and the pause switch.
        ["POST /api/admin/care-plans/{planId}/members"] = "csv",
        ["POST /api/guide/care-plans/{planId}/members"] = "csv",
        ["POST /api/admin/care-plans/{planId}/pause"] = "none",
        ["POST /api/admin/care-plans/{planId}/resume"] = "none",
        ["POST /api/guide/care-plans/{planId}/pause"] = "none",
        ["POST /api/guide/care-plans/{planId}/resume"] = "none",
        ["POST /api/guide/care-tasks/{taskId}/urge"] = "none",
        // Messaging (issue 20, consent): retiring a template, marking a WeCom message sent.
        ["POST /api/admin/message-templates/{templateId}/deactivate"] = "none",
        ["POST /api/admin/message-templates/{templateId}/activate"] = "none",
        ["POST /api/guide/messages/{messageId}/sent"] = "none",
        // Campaigns (issue 20, part 4): the imported list's CSV, the estimate and the send.
        ["POST /api/admin/campaigns/{campaignId}/members"] = "csv",
        ["POST /api/admin/campaigns/{campaignId}/estimate"] = "none",
        ["POST /api/admin/campaigns/{campaignId}/send"] = "none",
        // Pickup ready (issue 20, item 5): putting a pickup aside at the counter.
        ["POST /api/guide/mall/pickups/{redemptionId}/ready"] = "none",
    };

    private readonly FuzzContext _context = context;
    private readonly Random _random = random;

    private const string Placeholder = "__fuzz_raw_value__";
    private static readonly byte[] SixMegabytes = Encoding.ASCII.GetBytes(new string('x', 6 * 1024 * 1024));

    private readonly List<string> _failures = [];
    private readonly List<string> _notExercised = [];
    private readonly HashSet<string> _unexercised = [];
    private readonly Dictionary<string, SortedDictionary<string, int>> _statuses = [];
    private readonly Stopwatch _elapsed = new();
    private int _counter;
    private int _unsendable;

    public IReadOnlyList<string> Failures => _failures;
    public IReadOnlyList<string> NotExercised => _notExercised;

    public string Summary() =>
        $"{_statuses.Values.Sum(s => s.Values.Sum())} requests to {_statuses.Count} operations in {_elapsed.Elapsed.TotalSeconds:0.0} s " +
        $"({_unsendable} mutations HttpClient cannot send), {_failures.Count} failures\n" +
        string.Join("\n", _statuses.Select(r => $"  {r.Value.Values.Sum(),5}  {r.Key,-55} {string.Join(", ", r.Value.Select(s => $"{s.Key} x{s.Value}"))}"));

    public async Task FuzzAsync(FuzzOperation operation)
    {
        _elapsed.Start();
        try
        {
            var audience = AudienceOf(operation.Path);
            var raw = RawBodyOperations.GetValueOrDefault(operation.ToString());
            if (operation.JsonBody is null && raw is null && operation.Method is "POST" or "PUT" or "PATCH")
                throw new NotExercisableException("a request body the document does not describe; tell the fuzz what it takes (RawBodyOperations)");
            var fuzz = new Run(this, operation, audience, raw);
            await fuzz.AllAsync();
        }
        catch (NotExercisableException e)
        {
            _notExercised.Add($"NOT EXERCISED {operation}: {e.Message}");
            _unexercised.Add(operation.ToString());
        }
        finally
        {
            _elapsed.Stop();
        }
    }

    /// <summary>
    /// The base request of every read again, after all the writes: a value that was stored without complaint
    /// must not break the lists and reports that read it later (MariaDB keeps no DATETIME before year 1000, say).
    /// </summary>
    public async Task ReadAgainAsync(IEnumerable<FuzzOperation> operations)
    {
        _elapsed.Start();
        try
        {
            foreach (var operation in operations.Where(o => o.Method == "GET" && !_unexercised.Contains(o.ToString())))
                await new Run(this, operation, AudienceOf(operation.Path), null).BaseAgainAsync();
        }
        finally
        {
            _elapsed.Stop();
        }
    }

    private static Audience AudienceOf(string path) => path switch
    {
        _ when path.StartsWith("/api/mp/", StringComparison.Ordinal) => Audience.Member,
        _ when path.StartsWith("/api/guide/", StringComparison.Ordinal) => Audience.Guide,
        _ when path.StartsWith("/api/admin/", StringComparison.Ordinal) => Audience.Hq,
        _ when path.StartsWith("/api/integration/", StringComparison.Ordinal) => Audience.Integration,
        _ when path.StartsWith("/webhooks/", StringComparison.Ordinal) => Audience.Webhook,
        _ => throw new NotExercisableException("no audience is known for this prefix"),
    };

    private Guid NewGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private string Next() => (++_counter).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The fuzz of one operation.</summary>
    private sealed class Run(OperationFuzzer fuzzer, FuzzOperation operation, Audience audience, string? raw)
    {
        private FuzzContext Context => fuzzer._context;

        public async Task AllAsync()
        {
            var status = await SendAsync("base request", () => Build(BasePath(), BaseQuery(), BaseContent()));
            var exercised = audience == Audience.Webhook
                ? status.Status is >= 200 and < 300
                : !(status.Status is 401 or 403 && (status.Code?.StartsWith("auth.", StringComparison.Ordinal) == true
                                                    || status.Code?.StartsWith("integration.", StringComparison.Ordinal) == true));
            if (!exercised)
                throw new NotExercisableException($"the base request was refused ({status.Status} {status.Code}): the fuzz's credentials do not open it");

            await HeadersAsync();
            await PathAsync();
            await QueryAsync();
            if (operation.JsonBody is { } schema) await JsonBodyAsync(schema);
            if (raw == "csv") await CsvAsync();
            if (raw == "wechat-pay") await WebhookAsync();
            if (raw == "wecom") await WeComAsync();
        }

        public Task BaseAgainAsync() => SendAsync("base request after the fuzz's writes", () => Build(BasePath(), BaseQuery(), BaseContent()));

        // --- building ------------------------------------------------------------------------------

        private Dictionary<string, string> BasePath() =>
            operation.Parameters.Where(p => p.In == "path").ToDictionary(p => p.Name, p => BaseParameter(p) ?? "x");

        private string BaseQuery() => string.Join("&", operation.Parameters.Where(p => p.In == "query")
            .Select(p => (p.Name, Value: BaseParameter(p))).Where(p => p.Value is not null).Select(p => $"{p.Name}={p.Value}"));

        private string? BaseParameter(FuzzParameter p) => p.Name.ToLowerInvariant() switch
        {
            // The WeCom callback URL: a genuine signature (URL check, or the event of the base body).
            "msg_signature" or "timestamp" or "nonce" or "echostr" when operation.Path == "/webhooks/wecom" => WeComParameter(p.Name),
            "page" => "1",
            "pagesize" => "20",
            "phone" => "138",
            "area" => "fuzz-area",
            "withindays" => "30",
            "groupby" => "store",
            "format" => "csv",
            "month" => DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            "from" or "to" => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => BaseValue(p.Name, p.Schema) is JsonValue v ? v.ToString() : null,
        };

        private HttpContent? BaseContent() => raw switch
        {
            "csv" => Text(BaseCsv(), "text/csv"),
            "wechat-pay" => Text(Context.PaidNotification.Body, "application/json"),
            "wecom" => Text(WeComCallback.Body, "text/xml"),
            _ when operation.JsonBody is { } schema => Text(BaseValue("", schema)!.ToJsonString(), "application/json"),
            _ => null,
        };

        private HttpRequestMessage Build(IReadOnlyDictionary<string, string> path, string query, HttpContent? content)
        {
            var url = operation.Path;
            foreach (var (name, value) in path) url = url.Replace("{" + name + "}", value, StringComparison.Ordinal);
            var request = new HttpRequestMessage(new HttpMethod(operation.Method), query.Length == 0 ? url : url + "?" + query) { Content = content };
            var token = audience switch
            {
                Audience.Member => Context.MemberToken,
                Audience.Guide => Context.GuideToken,
                Audience.Hq => Context.AdminToken,
                _ => null,
            };
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            // HQ money actions need an Idempotency-Key: a fresh one per request, so every request reaches the rule.
            if (audience == Audience.Hq) request.Headers.TryAddWithoutValidation("Idempotency-Key", "fuzz-" + fuzzer.Next());
            if (audience == Audience.Webhook)
                foreach (var (name, value) in Context.PaidNotification.Headers) request.Headers.TryAddWithoutValidation(name, value);
            return request;
        }

        private HttpRequestMessage BuildBase(HttpContent? content = null) => Build(BasePath(), BaseQuery(), content ?? BaseContent());

        private static StringContent Text(string text, string mediaType) => new(text, Encoding.UTF8, mediaType);

        private static ByteArrayContent Bytes(byte[] bytes, string? contentType)
        {
            var content = new ByteArrayContent(bytes);
            if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return content;
        }

        /// <summary>A valid-looking value: known names get a value that passes (ids that exist, a fresh document number).</summary>
        private JsonNode? BaseValue(string name, FuzzSchema schema)
        {
            var key = name.ToLowerInvariant();
            switch (schema.Kind)
            {
                case FuzzKind.Object:
                    var o = new JsonObject();
                    foreach (var p in schema.Properties) o[p.Name] = BaseValue(p.Name, p.Schema);
                    return o;
                case FuzzKind.Array:
                    return schema.Items is null ? new JsonArray() : new JsonArray(BaseValue(name, schema.Items));
                case FuzzKind.Enum:
                    return key == "gender" ? "female" : schema.EnumValues.FirstOrDefault();
                case FuzzKind.Boolean:
                    return key == "active";
                case FuzzKind.Integer or FuzzKind.Number:
                    return key switch
                    {
                        "amount" or "price" or "paidamount" or "unitprice" or "principal" => 100,
                        "gift" or "giftamount" => 10,
                        "passwordfreelimit" => 20_000,
                        "giftpercent" or "levelgranted" or "permemberlimit" or "originallineno" => null,
                        _ => 1,
                    };
                case FuzzKind.Uuid:
                    return key switch
                    {
                        "memberid" => Context.MemberId.ToString(),
                        "storeid" => Context.StoreId.ToString(),
                        "packageid" => Context.PackageId.ToString(),
                        "rechargeid" => Context.RechargeId.ToString(),
                        _ => fuzzer.NewGuid().ToString(),
                    };
                case FuzzKind.Date:
                    return key == "birthday" ? "1995-03-08" : DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                case FuzzKind.DateTime:
                    return key is "onsalefrom" or "onsaleuntil" ? null : DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                default:
                    return key switch
                    {
                        "phone" or "memberphone" or "mobile" => key == "memberphone" ? null : "13800138000",
                        "storecode" => Context.StoreCode,
                        "code" when operation.Path.EndsWith("/stores", StringComparison.Ordinal) => "FZ" + fuzzer.Next(),
                        "guide" => Context.GuideWeComUserId,
                        "documentnumber" => operation.Path.EndsWith("/refunds", StringComparison.Ordinal) ? Context.ChargedDocumentNumber : "FZ-" + fuzzer.Next(),
                        "refundnumber" => "FZ-R-" + fuzzer.Next(),
                        "keyid" => "fz-key-" + fuzzer.Next(),
                        "username" => "fuzz-hq",
                        "password" => "not-the-password",
                        "nickname" => "小红🎉",
                        "paymentcode" or "confirmation" or "originaldocumentnumber" or "category" => null,
                        "product" => "T恤",
                        _ => "fuzz-" + key,
                    };
            }
        }

        private string BaseCsv() =>
            "wecom_user_id,name,store_code,role,managed_areas,mobile,active\n" +
            $"fz-import-{fuzzer.Next()},导购,{Context.StoreCode},guide,,13800000001,true\n";

        // --- sending and judging ---------------------------------------------------------------------

        private async Task<(int Status, string? Code)> SendAsync(string mutation, Func<HttpRequestMessage> build, HttpClient? client = null)
        {
            HttpRequestMessage request;
            try { request = build(); }
            catch (Exception e) when (e is FormatException or InvalidOperationException or UriFormatException or ArgumentException)
            {
                fuzzer._unsendable++;
                return (0, null);
            }
            client ??= audience == Audience.Integration ? Context.Signed : Context.Plain;
            try
            {
                using (request)
                using (var response = await client.SendAsync(request))
                {
                    var status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();
                    var (verdict, code) = Judge(response, status, text);
                    Count(status, code);
                    if (verdict is not null) Fail(mutation, status, verdict, text);
                    return (status, code);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The in-process server rethrows what escaped the pipeline: over a socket that is a 500 or a reset.
                Count(0, "threw");
                Fail(mutation, 0, "the server threw", string.Join(" | ", e.ToString().Split('\n').Take(4)));
                return (0, null);
            }
        }

        private void Count(int status, string? code)
        {
            var key = code is null ? status.ToString(CultureInfo.InvariantCulture) : $"{status} {code}";
            var statuses = fuzzer._statuses.TryGetValue(operation.ToString(), out var known) ? known : fuzzer._statuses[operation.ToString()] = [];
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
        }

        private (string? Verdict, string? Code) Judge(HttpResponseMessage response, int status, string text)
        {
            if (status < 400) return (null, null);
            string? code = null;
            try
            {
                using var json = JsonDocument.Parse(text);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                    code = c.GetString();
            }
            catch (JsonException) { }
            if (status >= 500) return ("5xx", code);
            var media = response.Content.Headers.ContentType?.MediaType;
            var expected = audience == Audience.Webhook ? "application/json" : "application/problem+json";
            if (media != expected) return ($"content type {media ?? "(none)"}, expected {expected}", code);
            if (string.IsNullOrEmpty(code)) return ("no code", code);
            return (null, code);
        }

        private void Fail(string mutation, int status, string verdict, string body)
        {
            var excerpt = body.Length > 400 ? body[..400] + "..." : body;
            fuzzer._failures.Add($"{operation.Method} {operation.Path} [{mutation}] -> {status} ({verdict}): {excerpt.ReplaceLineEndings(" ")}");
        }

        // --- headers ---------------------------------------------------------------------------------

        private async Task HeadersAsync()
        {
            var junk = new (string Name, string Header, string Value)[]
            {
                ("X-Request-Id of 10,000 characters", "X-Request-Id", Mutations.LongText),
                ("X-Request-Id not ASCII", "X-Request-Id", "请求-😀-é"),
                ("Accept: application/xml", "Accept", "application/xml"),
                ("an unknown header of 10,000 characters", "X-Fuzz", Mutations.LongText),
                ("Idempotency-Key of 10,000 characters", "Idempotency-Key", Mutations.LongText),
                ("Idempotency-Key not ASCII", "Idempotency-Key", "键-😀"),
            };
            foreach (var (name, header, value) in junk)
                await SendAsync(name, () => With(BuildBase(), header, value));

            if (audience is Audience.Member or Audience.Guide or Audience.Hq)
            {
                foreach (var (name, value) in new[]
                         {
                             ("Authorization: a 10,000-character bearer token", "Bearer " + Mutations.LongText),
                             ("Authorization: not ASCII", "Bearer 令牌😀"),
                             ("Authorization: Basic", "Basic Zm9vOmJhcg=="),
                             ("Authorization: Bearer without a token", "Bearer"),
                         })
                    await SendAsync(name, () => With(BuildBase(), "Authorization", value));
            }
            if (audience == Audience.Integration) await IntegrationHeadersAsync();
            if (audience == Audience.Webhook) await WebhookHeadersAsync();
        }

        private static HttpRequestMessage With(HttpRequestMessage request, string header, string? value)
        {
            request.Headers.Remove(header);
            if (value is not null) request.Headers.TryAddWithoutValidation(header, value);
            return request;
        }

        private async Task IntegrationHeadersAsync()
        {
            await SendAsync("no signature headers", () => BuildBase(), Context.Plain);
            var cases = new (string Header, string Name, string Value)[]
            {
                (IntegrationAuthenticationHandler.TimestampHeader, "huge", "99999999999999999999"),
                (IntegrationAuthenticationHandler.TimestampHeader, "long.MaxValue", long.MaxValue.ToString(CultureInfo.InvariantCulture)),
                (IntegrationAuthenticationHandler.TimestampHeader, "just past year 9999", "253402300800"),
                (IntegrationAuthenticationHandler.TimestampHeader, "negative", "-1"),
                (IntegrationAuthenticationHandler.TimestampHeader, "long.MinValue", long.MinValue.ToString(CultureInfo.InvariantCulture)),
                (IntegrationAuthenticationHandler.TimestampHeader, "not a number", "soon"),
                (IntegrationAuthenticationHandler.TimestampHeader, "10,000 digits", new string('9', 10_000)),
                (IntegrationAuthenticationHandler.NonceHeader, "10,000 characters", Mutations.LongText),
                (IntegrationAuthenticationHandler.NonceHeader, "not ASCII", "随机数-nonce-😀😀"),
                (IntegrationAuthenticationHandler.SignatureHeader, "10,000 characters", Mutations.LongText),
                (IntegrationAuthenticationHandler.SignatureHeader, "not ASCII", "签名😀"),
                (IntegrationAuthenticationHandler.SignatureHeader, "not base64", "!!!"),
                (IntegrationAuthenticationHandler.KeyIdHeader, "10,000 characters", Mutations.LongText),
                (IntegrationAuthenticationHandler.KeyIdHeader, "not ASCII", "钥匙😀"),
                (IntegrationAuthenticationHandler.KeyIdHeader, "unknown", "no-such-client"),
            };
            foreach (var (header, name, value) in cases)
            {
                await SendAsync($"{header} {name}", () =>
                {
                    var request = BuildBase();
                    var body = request.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
                    SigningHandler.Sign(request, Context.Integration.KeyId, Context.Integration.Secret, DateTimeOffset.UtcNow, body: body);
                    return With(request, header, value);
                });
            }
        }

        // --- path and query --------------------------------------------------------------------------

        private async Task PathAsync()
        {
            foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
            {
                // No %00: the in-process client refuses a path with NUL before sending it, and Kestrel answers such a
                // request line 400 itself, before any of our code runs.
                var values = new (string Name, string Value)[]
                {
                    ("not a GUID", "not-a-guid"), ("a random GUID", fuzzer.NewGuid().ToString()), ("the empty GUID", Guid.Empty.ToString()),
                    ("10,000 characters", Mutations.LongText), ("control characters and emoji", Uri.EscapeDataString(Mutations.ControlAndEmoji.Replace("\u0000", ""))),
                    ("an encoded slash", "a%2Fb"), ("an encoded dot-dot", "..%2F..%2Fhealth%2Flive"),
                };
                foreach (var (name, value) in values)
                    await SendAsync($"path {parameter.Name}: {name}", () =>
                    {
                        var path = BasePath();
                        path[parameter.Name] = value;
                        return Build(path, BaseQuery(), BaseContent());
                    });
            }
        }

        private async Task QueryAsync()
        {
            var query = operation.Parameters.Where(p => p.In == "query").ToList();
            foreach (var parameter in query)
                foreach (var (name, value) in Mutations.ForQuery(parameter.Schema, fuzzer.NewGuid))
                    await SendAsync($"query {parameter.Name}: {name}", () => Build(BasePath(), $"{parameter.Name}={value}", BaseContent()));

            // The same hostile value in every parameter of a kind at once (from and to both at year 9999, say).
            foreach (var kind in query.GroupBy(p => p.Schema.Kind).Where(g => g.Count() > 1))
                foreach (var (name, value) in Mutations.ForQuery(kind.First().Schema, fuzzer.NewGuid))
                    await SendAsync($"query {string.Join(", ", kind.Select(p => p.Name))} all: {name}",
                        () => Build(BasePath(), string.Join("&", kind.Select(p => $"{p.Name}={value}")), BaseContent()));

            await SendAsync("an unknown query parameter", () => Build(BasePath(), BaseQuery() + (BaseQuery().Length > 0 ? "&" : "") + "zzz=" + Mutations.LongText, BaseContent()));
            if (query.Count > 0)
                await SendAsync($"query {query[0].Name} twice", () => Build(BasePath(), $"{query[0].Name}={BaseParameter(query[0])}&{query[0].Name}={BaseParameter(query[0])}", BaseContent()));
        }

        // --- JSON bodies -----------------------------------------------------------------------------

        private async Task JsonBodyAsync(FuzzSchema schema)
        {
            foreach (var (path, fieldSchema) in Fields(schema, ""))
                foreach (var mutation in Mutations.TypeConfusions(fieldSchema).Concat(Mutations.OfKind(fieldSchema, fuzzer.NewGuid, () => ItemText(fieldSchema))))
                    await SendAsync($"{path}: {mutation.Name}", () => BuildBase(Text(Mutate(BaseValue("", schema)!, path, mutation.RawJson), "application/json")));

            await WholeBodiesAsync(() => BaseValue("", schema)!.ToJsonString());
        }

        private string ItemText(FuzzSchema array) => array.Items is null ? "1" : BaseValue("", array.Items)?.ToJsonString() ?? "null";

        /// <summary>Every field of a schema, nested objects and the first item of arrays of objects included.</summary>
        private static IEnumerable<(string Path, FuzzSchema Schema)> Fields(FuzzSchema schema, string prefix)
        {
            foreach (var property in schema.Properties)
            {
                var path = prefix + property.Name;
                yield return (path, property.Schema);
                if (property.Schema.Kind == FuzzKind.Object)
                    foreach (var inner in Fields(property.Schema, path + ".")) yield return inner;
                if (property.Schema is { Kind: FuzzKind.Array, Items.Kind: FuzzKind.Object })
                    foreach (var inner in Fields(property.Schema.Items, path + "[0].")) yield return inner;
            }
        }

        /// <summary>The body with the field at <paramref name="path"/> replaced by raw JSON text (or removed).</summary>
        private static string Mutate(JsonNode body, string path, string? rawJson)
        {
            var segments = path.Split('.');
            var node = body;
            foreach (var segment in segments[..^1])
            {
                var bracket = segment.IndexOf('[');
                node = bracket < 0 ? node[segment]! : node[segment[..bracket]]![int.Parse(segment[(bracket + 1)..^1], CultureInfo.InvariantCulture)]!;
            }
            var last = segments[^1];
            if (rawJson is null)
            {
                node.AsObject().Remove(last);
                return body.ToJsonString();
            }
            node[last] = Placeholder;
            return body.ToJsonString().Replace($"\"{Placeholder}\"", rawJson, StringComparison.Ordinal);
        }

        private async Task WholeBodiesAsync(Func<string> baseText)
        {
            var bodies = new (string Name, Func<HttpContent> Content)[]
            {
                ("truncated JSON", () => Text(Half(baseText()), "application/json")),
                ("not JSON", () => Text("this is not json", "application/json")),
                ("empty body", () => Text("", "application/json")),
                ("a JSON array at the root", () => Text("[" + baseText() + "]", "application/json")),
                ("JSON null", () => Text("null", "application/json")),
                ("a JSON string at the root", () => Text("\"x\"", "application/json")),
                ("a JSON number at the root", () => Text("42", "application/json")),
                ("10,000 nested arrays", () => Text(new string('[', 10_000) + new string(']', 10_000), "application/json")),
                ("10,000 nested objects", () => Text(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000), "application/json")),
                ("a 6 MB body", () => Bytes([.. "{\"padding\":\""u8, .. SixMegabytes, .. "\"}"u8], "application/json")),
                ("a 6 MB body without Content-Length", () => new UnknownLengthContent([.. "{\"padding\":\""u8, .. SixMegabytes, .. "\"}"u8], "application/json")),
                ("invalid UTF-8", () => Bytes([.. "{\"a\":\""u8, 0xff, 0xfe, 0xc3, .. "\"}"u8], "application/json")),
                ("a byte-order mark", () => Bytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(baseText())], "application/json")),
                ("trailing garbage", () => Text(baseText() + "}}]", "application/json")),
                ("a comment", () => Text("/* c */" + baseText(), "application/json")),
                ("duplicate properties", () => Text(Duplicated(baseText()), "application/json")),
                ("Content-Type text/plain", () => Text(baseText(), "text/plain")),
                ("Content-Type application/xml", () => Text(baseText(), "application/xml")),
                ("Content-Type form-urlencoded", () => Text("a=b&c=d", "application/x-www-form-urlencoded")),
                ("Content-Type multipart without a boundary", () => Bytes(Encoding.UTF8.GetBytes(baseText()), "multipart/form-data")),
                ("no Content-Type", () => Bytes(Encoding.UTF8.GetBytes(baseText()), null)),
                ("Content-Type junk", () => Bytes(Encoding.UTF8.GetBytes(baseText()), "}}}{{{")),
                ("charset=utf-16 on UTF-8 bytes", () => Bytes(Encoding.UTF8.GetBytes(baseText()), "application/json; charset=utf-16")),
                ("charset=bogus", () => Bytes(Encoding.UTF8.GetBytes(baseText()), "application/json; charset=bogus")),
            };
            foreach (var (name, content) in bodies) await SendAsync("body: " + name, () => BuildBase(content()));
        }

        private static string Half(string text) => text[..Math.Max(1, text.Length / 2)];

        private static string Duplicated(string objectText) =>
            objectText.StartsWith("{\"", StringComparison.Ordinal) ? objectText.Insert(1, objectText[1..objectText.IndexOf(':')] + ":[{}],") : objectText;

        // --- the guides CSV --------------------------------------------------------------------------

        private async Task CsvAsync()
        {
            const string header = "wecom_user_id,name,store_code,role,managed_areas,mobile,active\n";
            string Line(string name) => $"fz-import-{fuzzer.Next()},{name},{Context.StoreCode},guide,,13800000001,true\n";
            var junk = new byte[4096];
            fuzzer._random.NextBytes(junk);
            var csv = new (string Name, Func<HttpContent> Content)[]
            {
                ("empty", () => Text("", "text/csv")),
                ("the header only", () => Text(header, "text/csv")),
                ("random bytes", () => Bytes(junk, "text/csv")),
                ("invalid UTF-8", () => Bytes([.. Encoding.UTF8.GetBytes(header), .. "fz-x,"u8, 0xff, 0xfe, 0xc3, .. ",S,guide\n"u8], "text/csv")),
                ("an unclosed quote", () => Text(header + "\"fz-x,名字," + Context.StoreCode + ",guide\n", "text/csv")),
                ("a 10,000-character name", () => Text(header + Line(Mutations.LongText), "text/csv")),
                ("control characters and emoji in a name", () => Text(header + Line("\"" + Mutations.ControlAndEmoji + "\""), "text/csv")),
                ("10,000 columns", () => Text(string.Join(",", Enumerable.Range(0, 10_000).Select(i => "c" + i)) + "\n", "text/csv")),
                ("a row of 10,000 commas", () => Text(header + new string(',', 10_000) + "\n", "text/csv")),
                ("2,000 rows naming no store", () => Text(header + string.Concat(Enumerable.Range(0, 2_000).Select(i => $"fz-many-{i},名,NO-STORE,guide,,,\n")), "text/csv")),
                ("an unknown role and a bad boolean", () => Text(header + $"fz-x,名,{Context.StoreCode},boss,,,maybe\n", "text/csv")),
                ("6 MB", () => Bytes(SixMegabytes, "text/csv")),
                ("6 MB without Content-Length", () => new UnknownLengthContent(SixMegabytes, "text/csv")),
                ("no Content-Type", () => Bytes(Encoding.UTF8.GetBytes(BaseCsv()), null)),
                ("Content-Type application/json", () => Text(BaseCsv(), "application/json")),
                ("charset=bogus", () => Bytes(Encoding.UTF8.GetBytes(BaseCsv()), "text/csv; charset=bogus")),
                ("multipart with the file", () => Multipart("B0undary", Part("file", "guides.csv", BaseCsv()))),
                ("multipart with the file under another name", () => Multipart("B0undary", Part("upload", "guides.csv", BaseCsv()))),
                ("multipart without a boundary", () => Bytes(Encoding.UTF8.GetBytes(Part("file", "guides.csv", BaseCsv(), "B0undary") + "--B0undary--\r\n"), "multipart/form-data")),
                ("multipart with a boundary and junk", () => Bytes(junk, "multipart/form-data; boundary=B0undary")),
                ("multipart with a boundary and an empty body", () => Bytes([], "multipart/form-data; boundary=B0undary")),
                ("multipart, a part without a name", () => Multipart("B0undary", "--B0undary\r\nContent-Disposition: form-data; filename=\"g.csv\"\r\n\r\n" + BaseCsv() + "\r\n")),
                ("multipart, a part without Content-Disposition", () => Multipart("B0undary", "--B0undary\r\nContent-Type: text/csv\r\n\r\n" + BaseCsv() + "\r\n")),
                ("multipart, a text field and no file", () => Multipart("B0undary", "--B0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + BaseCsv() + "\r\n")),
                ("multipart, a boundary of 200 characters", () => Multipart(new string('b', 200), Part("file", "guides.csv", BaseCsv(), new string('b', 200)))),
                ("multipart, never closed", () => Bytes(Encoding.UTF8.GetBytes(Part("file", "guides.csv", BaseCsv())), "multipart/form-data; boundary=B0undary")),
                ("multipart, a 6 MB part", () => MultipartBytes("B0undary", SixMegabytes, known: true)),
                ("multipart, a 6 MB part without Content-Length", () => MultipartBytes("B0undary", SixMegabytes, known: false)),
                ("multipart, 200 parts", () => Multipart("B0undary", string.Concat(Enumerable.Range(0, 200).Select(i => Part("f" + i, "g.csv", "x"))))),
                ("multipart/mixed", () => Bytes(Encoding.UTF8.GetBytes(Part("file", "guides.csv", BaseCsv()) + "--B0undary--\r\n"), "multipart/mixed; boundary=B0undary")),
                ("form-urlencoded", () => Text("file=" + Uri.EscapeDataString(BaseCsv()), "application/x-www-form-urlencoded")),
            };
            foreach (var (name, content) in csv) await SendAsync("csv: " + name, () => BuildBase(content()));
        }

        private static string Part(string name, string fileName, string text, string boundary = "B0undary") =>
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{fileName}\"\r\nContent-Type: text/csv\r\n\r\n{text}\r\n";

        private static ByteArrayContent Multipart(string boundary, string parts) =>
            Bytes(Encoding.UTF8.GetBytes(parts + $"--{boundary}--\r\n"), $"multipart/form-data; boundary={boundary}");

        private static HttpContent MultipartBytes(string boundary, byte[] file, bool known)
        {
            byte[] body = [.. Encoding.ASCII.GetBytes(Part("file", "big.csv", "", boundary).TrimEnd('\r', '\n')), .. file, .. Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n")];
            var type = $"multipart/form-data; boundary={boundary}";
            return known ? Bytes(body, type) : new UnknownLengthContent(body, type);
        }

        // --- the WeCom callback URL ---------------------------------------------------------------------

        private FakeWeComCallback? _weComCallback;
        private FakeWeComUrlCheck? _weComUrlCheck;

        /// <summary>A friend-added event of the fuzz's guide, signed now (the timestamp window is 5 minutes); resent, it is a duplicate: success again.</summary>
        private FakeWeComCallback WeComCallback => _weComCallback ??= Context.Api.Weixin.CreateWeComCallback(
            Context.Api.Weixin.WeComExternalContactEventXml("add_external_contact", Context.GuideWeComUserId, "wm-fuzz-" + fuzzer.Next(), "fuzz"));

        private FakeWeComUrlCheck WeComUrlCheck => _weComUrlCheck ??= Context.Api.Weixin.CreateWeComUrlCheck();

        private string WeComParameter(string name) => Uri.EscapeDataString(operation.Method == "GET"
            ? name switch { "msg_signature" => WeComUrlCheck.MsgSignature, "timestamp" => WeComUrlCheck.Timestamp, "nonce" => WeComUrlCheck.Nonce, _ => WeComUrlCheck.EchoStr }
            : name switch { "msg_signature" => WeComCallback.MsgSignature, "timestamp" => WeComCallback.Timestamp, _ => WeComCallback.Nonce });

        private async Task WeComAsync()
        {
            // Unsigned junk under the base request's signature: it does not match.
            foreach (var (name, content) in new (string, Func<HttpContent>)[]
                     {
                         ("a tampered body", () => Text(WeComCallback.Body.Replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[QUFB", StringComparison.Ordinal), "text/xml")),
                         ("empty body", () => Text("", "text/xml")),
                         ("not XML", () => Text("not xml", "text/xml")),
                         ("a DTD with nested entities", () => Text(Laughs("<xml><Encrypt>&l9;</Encrypt></xml>"), "text/xml")),
                         ("65 KB body", () => Text(new string('x', 65 * 1024), "text/xml")),
                         ("a 6 MB body", () => Bytes(SixMegabytes, "text/xml")),
                         ("a 6 MB body without Content-Length", () => new UnknownLengthContent(SixMegabytes, "text/xml")),
                         ("invalid UTF-8", () => Bytes([0xff, 0xfe, 0xc3, 0x28], "text/xml")),
                         ("no Content-Type", () => Bytes(Encoding.UTF8.GetBytes(WeComCallback.Body), null)),
                     })
                await SendAsync("wecom body: " + name, () => BuildBase(content()));

            // Signed and encrypted as WeCom would (the fake's keys), so that the event inside is reached.
            var weixin = Context.Api.Weixin;
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string Contact(string createTime, string userId, string externalUserId) =>
                $"<xml><ToUserName>c</ToUserName><CreateTime>{createTime}</CreateTime><MsgType>event</MsgType><Event>change_external_contact</Event>"
                + $"<ChangeType>add_external_contact</ChangeType><UserID>{userId}</UserID><ExternalUserID>{externalUserId}</ExternalUserID></xml>";
            foreach (var (name, xml) in new (string, Func<string>)[]
                     {
                         ("not XML", () => "not xml"),
                         ("empty", () => ""),
                         ("<xml/>", () => "<xml/>"),
                         ("a DTD with nested entities", () => Laughs("<xml><Event>&l9;</Event></xml>")),
                         ("10,000 nested elements", () => string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000))),
                         ("CreateTime huge", () => Contact("99999999999999999999", "g", "wm" + fuzzer.Next())),
                         ("CreateTime long.MaxValue", () => Contact(long.MaxValue.ToString(CultureInfo.InvariantCulture), "g", "wm" + fuzzer.Next())),
                         ("CreateTime negative", () => Contact("-1", "g", "wm" + fuzzer.Next())),
                         ("CreateTime past year 9999", () => Contact("253402300800", "g", "wm" + fuzzer.Next())),
                         ("CreateTime not a number", () => Contact("soon", "g", "wm" + fuzzer.Next())),
                         ("UserID of 10,000 characters", () => Contact(now.ToString(CultureInfo.InvariantCulture), Mutations.LongText, "wm" + fuzzer.Next())),
                         ("ExternalUserID not ASCII", () => Contact(now.ToString(CultureInfo.InvariantCulture), "g", "客户😀" + fuzzer.Next())),
                         ("a chat event without ChatId", () => $"<xml><CreateTime>{now}</CreateTime><Event>change_external_chat</Event><ChangeType>update</ChangeType><JoinScene>x</JoinScene></xml>"),
                     })
                await SendAsync("signed wecom event: " + name, () =>
                {
                    var callback = weixin.CreateWeComCallback(xml());
                    return new HttpRequestMessage(HttpMethod.Post, callback.PathAndQuery(operation.Path)) { Content = Text(callback.Body, "text/xml") };
                });
            await SendAsync("wecom timestamp an hour old", () =>
            {
                var callback = weixin.CreateWeComCallback(WeComCallbackXml(), DateTimeOffset.UtcNow.AddHours(-1));
                return new HttpRequestMessage(HttpMethod.Post, callback.PathAndQuery(operation.Path)) { Content = Text(callback.Body, "text/xml") };
            });
        }

        private string WeComCallbackXml() => Context.Api.Weixin.WeComExternalContactEventXml("del_follow_user", Context.GuideWeComUserId, "wm-fuzz-" + fuzzer.Next());

        private static string Laughs(string root)
        {
            var dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY l0 \"lol\">");
            for (var i = 1; i <= 9; i++) dtd.Append($"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">");
            return dtd.Append("]>").Append(root).ToString();
        }

        // --- the WeChat Pay webhook --------------------------------------------------------------------

        /// <summary>The notification envelope (the document does not describe it: it is WeChat Pay's).</summary>
        private static readonly FuzzSchema Envelope = Object(
            ("id", FuzzKind.String), ("create_time", FuzzKind.DateTime), ("resource_type", FuzzKind.String), ("event_type", FuzzKind.String),
            ("summary", FuzzKind.String));

        private static readonly FuzzSchema Resource = Object(("original_type", FuzzKind.String), ("algorithm", FuzzKind.String),
            ("ciphertext", FuzzKind.String), ("associated_data", FuzzKind.String), ("nonce", FuzzKind.String));

        private static FuzzSchema Object(params (string Name, FuzzKind Kind)[] properties) =>
            new(FuzzKind.Object, null, false, [], properties.Select(p => new FuzzProperty(p.Name, new FuzzSchema(p.Kind, null, false, [], [], null))).ToList(), null);

        private async Task WebhookHeadersAsync()
        {
            string[] names = ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"];
            foreach (var header in names)
            {
                await SendAsync($"{header} removed", () => With(BuildBase(), header, null));
                await SendAsync($"{header} of 10,000 characters", () => With(BuildBase(), header, Mutations.LongText));
                await SendAsync($"{header} not ASCII", () => With(BuildBase(), header, "微信😀"));
            }
            foreach (var (name, value) in new[]
                     {
                         ("huge", "99999999999999999999"), ("long.MaxValue", long.MaxValue.ToString(CultureInfo.InvariantCulture)),
                         ("just past year 9999", "253402300800"), ("before year 1", "-62135596801"), ("long.MinValue", long.MinValue.ToString(CultureInfo.InvariantCulture)),
                         ("negative", "-1"), ("not a number", "soon"),
                     })
                await SendAsync($"Wechatpay-Timestamp {name}", () => With(BuildBase(), "Wechatpay-Timestamp", value));
            await SendAsync("Wechatpay-Signature a signature probe", () => With(BuildBase(), "Wechatpay-Signature", "WECHATPAY/SIGNTEST/" + Mutations.LongText[..40]));
            await SendAsync("Wechatpay-Signature not base64", () => With(BuildBase(), "Wechatpay-Signature", "!!!"));
        }

        private async Task WebhookAsync()
        {
            // Unsigned junk under the paid notification's headers: the signature does not match.
            foreach (var (name, content) in new (string, Func<HttpContent>)[]
                     {
                         ("a tampered body", () => Text(Context.PaidNotification.Body.Replace("TRANSACTION", "REFUND", StringComparison.Ordinal), "application/json")),
                         ("empty body", () => Text("", "application/json")),
                         ("65 KB body", () => Text(new string('x', 65 * 1024), "application/json")),
                         ("a 6 MB body", () => Bytes(SixMegabytes, "application/json")),
                         ("a 6 MB body without Content-Length", () => new UnknownLengthContent(SixMegabytes, "application/json")),
                         ("invalid UTF-8", () => Bytes([0xff, 0xfe, 0xc3, 0x28], "application/json")),
                         ("no Content-Type", () => Bytes(Encoding.UTF8.GetBytes(Context.PaidNotification.Body), null)),
                     })
                await SendAsync("webhook body: " + name, () => BuildBase(content()));

            // Signed as WeChat Pay would (the fake's key), so that what is inside is reached: the envelope and its resource.
            var signedBodies = new List<(string Name, Func<string> Body)>
            {
                ("not JSON", () => "not json"),
                ("a JSON array", () => "[]"),
                ("an empty object", () => "{}"),
                ("10,000 nested arrays", () => new string('[', 10_000) + new string(']', 10_000)),
                ("ciphertext of another key", () => Context.PaidNotification.Body.Replace("\"ciphertext\":\"", "\"ciphertext\":\"QUFB", StringComparison.Ordinal)),
            };
            foreach (var (path, schema) in Fields(Envelope, "").Concat(Fields(Resource, "resource.")))
                foreach (var mutation in Mutations.TypeConfusions(schema).Concat(Mutations.OfKind(schema, fuzzer.NewGuid, () => "1")))
                    signedBodies.Add(($"{path}: {mutation.Name}", () => Mutate(JsonNode.Parse(Context.PaidNotification.Body)!, path, mutation.RawJson)));
            signedBodies.Add(("resource: removed", () => Mutate(JsonNode.Parse(Context.PaidNotification.Body)!, "resource", null)));
            signedBodies.Add(("resource: a string", () => Mutate(JsonNode.Parse(Context.PaidNotification.Body)!, "resource", "\"x\"")));

            foreach (var (name, body) in signedBodies)
                await SendAsync("signed webhook body: " + name, () =>
                {
                    var text = body();
                    return FuzzContext.WebhookRequest(text, Context.Api.Weixin.SignPayNotification(text).Headers);
                });
        }
    }

    /// <summary>A body sent without Content-Length (chunked over a socket): limits must hold while reading, too.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthContent(byte[] bytes, string contentType)
        {
            _bytes = bytes;
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
