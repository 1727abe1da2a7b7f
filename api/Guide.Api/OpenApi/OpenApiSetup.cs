using System.Text.Json;
using System.Text.Json.Nodes;
using Guide.Api.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Guide.Api.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, exported by the <c>openapi</c> command into
/// miniprogram-contracts/openapi.json): every operation with its security scheme, its problem responses by
/// status with their codes (in the description, in <c>x-error-codes</c> and as the <c>code</c> enum), and
/// examples for the main flows.
/// </summary>
public static class OpenApiSetup
{
    public const string ProblemSchema = "Problem";
    public const string ErrorCodesExtension = "x-error-codes";

    public static IServiceCollection AddGuideOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Guide API",
                    Version = "v1",
                    Description = "The brand's mini program (/api/mp), guide workbench (/api/guide), HQ console (/api/admin), "
                        + "POS and mall integration (/api/integration) and WeChat webhooks. Amounts are fen (integer); times are "
                        + "ISO 8601 with offset; every error is application/problem+json with a stable `code`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchema] = Problem();
                document.Components.SecuritySchemes = SecuritySchemes.All();
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type.Name.EndsWith("Request", StringComparison.Ordinal)) RequiredIsNotNullable(schema);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Security = SecuritySchemes.For(ErrorContract.PoliciesOf(metadata), metadata, context.Document);
                AddProblemResponses(operation, ErrorContract.For(context.Description), context.Document);
                var json = context.ApplicationServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
                foreach (var body in metadata.OfType<RawBodyMetadata>()) body.ApplyTo(operation);
                foreach (var text in metadata.OfType<TextAnswerMetadata>()) text.ApplyTo(operation);
                foreach (var example in metadata.OfType<ExampleMetadata>()) example.ApplyTo(operation, json);
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// A request's required field is typed nullable in C# only so that a missing one reaches validation (and
    /// answers request.validation_failed naming it) instead of defaulting; a client must send a value.
    /// </summary>
    private static void RequiredIsNotNullable(OpenApiSchema schema)
    {
        if (schema.Required is null || schema.Properties is null) return;
        foreach (var name in schema.Required)
        {
            if (!schema.Properties.TryGetValue(name, out var property) || property is not OpenApiSchema field) continue;
            if (field.Type is { } type && type.HasFlag(JsonSchemaType.Null) && type != JsonSchemaType.Null) field.Type = type & ~JsonSchemaType.Null;
        }
    }

    private static void AddProblemResponses(OpenApiOperation operation, IReadOnlyList<ErrorCode> errors, OpenApiDocument? document)
    {
        operation.Responses ??= new OpenApiResponses();
        if (errors.Count > 0)
        {
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[ErrorCodesExtension] = new JsonNodeExtension(new JsonArray(errors.Select(e => (JsonNode)e.Code).ToArray()));
        }
        foreach (var status in errors.GroupBy(e => e.Status))
        {
            var codes = status.ToList();
            var schema = new OpenApiSchema
            {
                AllOf =
                [
                    new OpenApiSchemaReference(ProblemSchema, document),
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "code" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = codes.Select(c => (JsonNode)c.Code).ToList() },
                        },
                    },
                ],
            };
            operation.Responses[status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = string.Join("\n", codes.Select(c => $"- `{c.Code}`: {c.Meaning}")),
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
                Extensions = new Dictionary<string, IOpenApiExtension>
                {
                    [ErrorCodesExtension] = new JsonNodeExtension(new JsonArray(codes.Select(e => (JsonNode)e.Code).ToArray())),
                },
            };
        }
    }

    /// <summary>RFC 9457 problem details as this API writes them.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `code` is stable and meant for programs; `title` and `detail` are for people.",
        Required = new HashSet<string> { "status", "title", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable machine code, e.g. wallet.insufficient_balance." },
            ["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Also the X-Request-Id response header; quote it to support." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "request.malformed: the field that could not be read." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "request.validation_failed: each field's messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        AdditionalProperties = new OpenApiSchema(), // a code's own facts (refundable, retryAfterSeconds, ...)
    };
}

/// <summary>How each audience authenticates, as Swagger UI's Authorize dialog offers it.</summary>
public static class SecuritySchemes
{
    public const string Shopper = "shopper";
    public const string Guide = "guide";
    public const string Hq = "hq";
    public const string WeChatPaySignature = "wechatpaySignature";
    public const string WeComSignature = "wecomSignature";
    public static readonly string[] Integration = ["integrationKeyId", "integrationTimestamp", "integrationNonce", "integrationSignature"];

    public static Dictionary<string, IOpenApiSecurityScheme> All()
    {
        var schemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Shopper] = Bearer("Shopper token from POST /api/mp/session (wx.login code)."),
            [Guide] = Bearer("Guide token from POST /api/guide/session (WeCom OAuth code)."),
            [Hq] = Bearer("HQ token from POST /api/admin/session (user name and password)."),
            [WeChatPaySignature] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "Wechatpay-Signature",
                Description = "WeChat Pay APIv3 notification signature (RSA-SHA256 over Wechatpay-Timestamp, Wechatpay-Nonce and the body, "
                    + "by the platform certificate named in Wechatpay-Serial). Sent by WeChat Pay only.",
            },
            [WeComSignature] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = "msg_signature",
                Description = "WeCom callback signature (WXBizMsgCrypt): SHA-1 of the sorted token, timestamp, nonce and the encrypted text "
                    + "(echostr or the body's Encrypt), AES-256-CBC with the EncodingAESKey, our corp id as receive id. Sent by WeCom only.",
            },
        };
        var signing = "HMAC-SHA256 with the client's secret over METHOD\\nPATH_AND_QUERY\\nTIMESTAMP\\nNONCE\\nLOWER_HEX(SHA256(BODY))\\n (each line ends with a newline), "
            + "base64; the timestamp is Unix seconds within 5 minutes of ours, the nonce never repeats. scripts/sign-request.sh signs one request.";
        schemes["integrationKeyId"] = Header("X-Guide-Key-Id", "The integration client's key id (HQ registers clients). " + signing);
        schemes["integrationTimestamp"] = Header("X-Guide-Timestamp", "Unix seconds.");
        schemes["integrationNonce"] = Header("X-Guide-Nonce", "A value never used before by this client (a UUID).");
        schemes["integrationSignature"] = Header("X-Guide-Signature", signing);
        return schemes;
    }

    public static List<OpenApiSecurityRequirement>? For(IReadOnlyList<string> policies, IList<object> metadata, OpenApiDocument? document)
    {
        string[]? names = policies.Count == 0
            ? metadata.OfType<WebhookSignatureMetadata>().FirstOrDefault() is { } webhook ? [webhook.Scheme] : null
            : policies[0] switch
            {
                Policies.Member => [Shopper],
                Policies.Guide or Policies.StoreManager => [Guide],
                Policies.Hq => [Hq],
                Policies.Integration => Integration,
                _ => null,
            };
        if (names is null) return null;
        var requirement = new OpenApiSecurityRequirement();
        foreach (var name in names) requirement[new OpenApiSecuritySchemeReference(name, document)] = [];
        return [requirement];
    }

    private static OpenApiSecurityScheme Bearer(string description) => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        BearerFormat = "JWT",
        Description = description,
    };

    private static OpenApiSecurityScheme Header(string name, string description) => new()
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = name,
        Description = description,
    };
}

/// <summary>
/// An endpoint that reads its body itself, not by JSON binding (a CSV upload): the document describes the body,
/// and it gets the request errors of a body. Unlike <c>Accepts</c>, it does not make routing refuse other types
/// (with a 415 before authentication); the endpoint does.
/// </summary>
public sealed class RawBodyMetadata(IReadOnlyList<string> contentTypes)
{
    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;

    public void ApplyTo(OpenApiOperation operation) => operation.RequestBody = new OpenApiRequestBody
    {
        Required = true,
        Content = ContentTypes.ToDictionary(type => type, type => new OpenApiMediaType
        {
            Schema = type.StartsWith("multipart/", StringComparison.Ordinal)
                ? new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "file" },
                    Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                }
                : new OpenApiSchema { Type = JsonSchemaType.String },
        }),
    };
}

public static class RawBodyExtensions
{
    public static RouteHandlerBuilder ReadsBody(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.WithMetadata(new RawBodyMetadata(contentTypes));
}

/// <summary>
/// A 200 that can also be a text file (a report's <c>format=csv</c>) besides its JSON: the document lists both media types.
/// <c>Produces</c> would replace the typed result's JSON answer instead.
/// </summary>
public sealed class TextAnswerMetadata(string contentType)
{
    public void ApplyTo(OpenApiOperation operation)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse response) return;
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }
}

public static class TextAnswerExtensions
{
    public static RouteHandlerBuilder AlsoAnswersText(this RouteHandlerBuilder builder, string contentType) =>
        builder.WithMetadata(new TextAnswerMetadata(contentType));
}

/// <summary>Marks a webhook whose caller proves itself with a WeChat signature (by default WeChat Pay's).</summary>
public sealed class WebhookSignatureMetadata(string scheme = SecuritySchemes.WeChatPaySignature)
{
    public string Scheme { get; } = scheme;
}

/// <summary>An example request and answer of an operation, for Swagger and the mini-program team.</summary>
public sealed class ExampleMetadata(object? request, object? response, int status)
{
    public void ApplyTo(OpenApiOperation operation, JsonSerializerOptions json)
    {
        if (request is not null && operation.RequestBody?.Content is { } requestContent)
            foreach (var media in requestContent.Values) media.Example = JsonSerializer.SerializeToNode(request, request.GetType(), json);
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (response is not null && operation.Responses is not null && operation.Responses.TryGetValue(key, out var answer) && answer.Content is { } content)
            foreach (var media in content.Values) media.Example = JsonSerializer.SerializeToNode(response, response.GetType(), json);
    }
}

public static class ExampleExtensions
{
    public static RouteHandlerBuilder WithExample(this RouteHandlerBuilder builder, object? request, object? response, int status = StatusCodes.Status200OK) =>
        builder.WithMetadata(new ExampleMetadata(request, response, status));
}
