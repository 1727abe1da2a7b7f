using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Guide.Api.OpenApi;
using Guide.Api.Tests.Support;
using Guide.Benchmarks;
using Guide.Domain.Wallets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Contracts;

/// <summary>
/// The OpenAPI document is the contract the mini-program team's TypeScript client is generated from: it must
/// be the committed artifact, declare every operation's errors and security, and type amounts as integers.
/// (Every answer of every other test is checked against it as well: <see cref="ContractCheck"/>.)
/// </summary>
public sealed class OpenApiDocumentTests(SqliteApi fixture) : ApiTest<SqliteApi>(fixture), IClassFixture<SqliteApi>
{
    public const string ArtifactPath = "miniprogram-contracts/openapi.json";

    private async Task<JsonNode> LiveDocumentAsync()
    {
        var document = JsonNode.Parse(await Api.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        document.AsObject().Remove("servers"); // the serving endpoint names the caller's host; the artifact names none
        return document;
    }

    [Fact]
    public async Task The_committed_document_is_the_one_the_server_publishes()
    {
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(GuideProcess.RepositoryRoot(), ArtifactPath)))!;
        Assert.True(JsonNode.DeepEquals(committed, await LiveDocumentAsync()),
            $"{ArtifactPath} is stale: run scripts/export-openapi.sh and commit it (and regenerate the TypeScript types: "
            + "npm run generate in miniprogram-contracts/typescript).");
    }

    [Fact]
    public void Every_endpoint_declares_its_errors_itself()
    {
        var undeclared = Api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/') is var path && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("webhooks/", StringComparison.Ordinal)))
            .Where(e => !e.Metadata.OfType<DeclaredErrors>().Any(d => d.ByEndpoint))
            .Select(e => e.DisplayName)
            .ToList();
        Assert.True(undeclared.Count == 0, "endpoints without .Errors(...): " + string.Join("; ", undeclared));
    }

    [Fact]
    public async Task Every_operation_names_its_security_and_its_error_responses()
    {
        var document = await LiveDocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!.AsObject().Select(p => p.Key).ToHashSet();
        var expected = new Dictionary<string, string[]>
        {
            ["/api/mp/"] = [SecuritySchemes.Shopper],
            ["/api/guide/"] = [SecuritySchemes.Guide],
            ["/api/admin/"] = [SecuritySchemes.Hq],
            ["/api/integration/"] = SecuritySchemes.Integration,
            ["/webhooks/wecom"] = [SecuritySchemes.WeComSignature],
            ["/webhooks/"] = [SecuritySchemes.WeChatPaySignature],
        };
        string[] anonymous = ["POST /api/mp/session", "POST /api/guide/session", "POST /api/admin/session"];
        var problems = new List<string>();
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operationNode) in item!.AsObject())
        {
            operations++;
            var operation = operationNode!.AsObject();
            var name = $"{method.ToUpperInvariant()} {path}";
            var security = operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(p => p.Key)).ToArray() ?? [];
            var audience = expected.First(e => path.StartsWith(e.Key, StringComparison.Ordinal)).Value;
            if (anonymous.Contains(name) ? security.Length != 0 : !security.Order().SequenceEqual(audience.Order()))
                problems.Add($"{name}: security [{string.Join(", ", security)}], expected [{(anonymous.Contains(name) ? "" : string.Join(", ", audience))}]");
            if (security.Any(s => !schemes.Contains(s))) problems.Add($"{name}: names an undefined security scheme");

            var responses = operation["responses"]!.AsObject();
            if (!responses.Any(r => r.Key.StartsWith('2'))) problems.Add($"{name}: no success response");
            var listed = operation["x-error-codes"]?.AsArray().Select(c => c!.GetValue<string>()).ToHashSet() ?? [];
            if (!path.StartsWith("/webhooks/", StringComparison.Ordinal) && listed.Count == 0) problems.Add($"{name}: no x-error-codes");
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var codes = response!["x-error-codes"]?.AsArray().Select(c => c!.GetValue<string>()).ToList() ?? [];
                foreach (var code in codes)
                {
                    if (!ErrorCatalog.TryGet(code, out var error)) problems.Add($"{name}: {code} is not in the catalog");
                    else if (error.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) != status) problems.Add($"{name}: {code} listed under {status}");
                    if (!listed.Contains(code)) problems.Add($"{name}: {code} under {status} but not in the operation's x-error-codes");
                    if (!response["description"]!.GetValue<string>().Contains($"`{code}`", StringComparison.Ordinal)) problems.Add($"{name}: {code} not described");
                }
            }
            // Whoever must authenticate can fail to; whoever sends a body can send one we cannot read.
            if (security.Contains(SecuritySchemes.Shopper) && !listed.Contains("auth.token_expired")) problems.Add($"{name}: auth.token_expired not listed");
            if (security.Contains("integrationSignature") && !listed.Contains("integration.bad_signature")) problems.Add($"{name}: integration.bad_signature not listed");
            if (operation["requestBody"] is not null && !path.StartsWith("/webhooks/", StringComparison.Ordinal) && !listed.Contains("request.malformed"))
                problems.Add($"{name}: has a body but request.malformed is not listed");
        }
        Assert.True(operations >= 45, $"only {operations} operations");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Numbers_are_integers_only_and_times_are_date_times()
    {
        var schemas = (await LiveDocumentAsync())["components"]!["schemas"]!.AsObject();
        var problems = new List<string>();
        foreach (var (schemaName, schema) in schemas)
        {
            if (schema!["properties"] is not JsonObject properties) continue;
            foreach (var (property, definition) in properties)
            {
                if (definition is not JsonObject field) continue;
                var types = field["type"] switch
                {
                    JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
                    JsonValue value => [value.GetValue<string>()],
                    _ => [],
                };
                if (types.Contains("integer") && types.Contains("string")) problems.Add($"{schemaName}.{property}: integer or string");
                if (types.Contains("number")) problems.Add($"{schemaName}.{property}: a floating number (amounts are fen)");
                if (property.EndsWith("At", StringComparison.Ordinal) && field["format"]?.GetValue<string>() != "date-time")
                    problems.Add($"{schemaName}.{property}: a time without format date-time");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal("int64", schemas["WalletChargeRequest"]!["properties"]!["amount"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task Required_and_optional_fields_are_as_the_server_reads_them()
    {
        var charge = (await LiveDocumentAsync())["components"]!["schemas"]!["WalletChargeRequest"]!;
        var required = charge["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order().ToList();
        Assert.Equal(["amount", "documentNumber"], required);
        Assert.Equal("string", charge["properties"]!["documentNumber"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_thing_has_one_name_everywhere()
    {
        var schemas = (await LiveDocumentAsync())["components"]!["schemas"]!.AsObject();
        var refundChannels = schemas["RefundChannel"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        var paymentMethods = schemas["PaymentMethod"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Contains("wechat_pay", refundChannels);
        Assert.Contains("wechat_pay", paymentMethods);
        Assert.DoesNotContain("we_chat_pay", refundChannels);
        Assert.Equal("\"wechat_pay\"", JsonSerializer.Serialize(RefundChannel.WeChatPay, Api.Factory.Services
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
    }

    [Fact]
    public void The_mini_program_enums_name_every_state_the_domain_has()
    {
        static string[] Names<T>() where T : struct, Enum => Enum.GetNames<T>();
        Assert.Equal(Names<Domain.Wallets.RechargeStatus>(), Names<MiniProgram.Contracts.RechargeStatus>());
        Assert.Equal(Names<Domain.Wallets.WalletEntryKind>(), Names<MiniProgram.Contracts.WalletEntryKind>());
        Assert.Equal(Names<Domain.Members.Gender>(), Names<MiniProgram.Contracts.Gender>());
        Assert.Equal(Names<Domain.Levels.LevelSource>(), Names<MiniProgram.Contracts.LevelSource>());
        Assert.Equal(Names<Domain.Levels.ThresholdBasis>(), Names<MiniProgram.Contracts.ThresholdBasis>());
    }

    [Theory]
    [InlineData("""{"documentNumber":"D-1","amount":"100"}""", "amount")]
    [InlineData("""{"documentNumber":"D-1","amount":1.5}""", "amount")]
    [InlineData("""{"documentNumber":7,"amount":100}""", "documentNumber")]
    public async Task A_value_of_the_wrong_type_is_refused_and_named(string body, string field)
    {
        var credentials = await Api.CreateIntegrationClientAsync();
        var response = await Api.IntegrationClient(credentials).PostAsync("/api/integration/wallet/charges",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(field, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_query_parameter_that_cannot_be_read_is_named()
    {
        var admin = await Api.LogInAdminAsync();
        var response = await Api.Client(admin.Token).GetAsync("/api/admin/recharges?page=abc");
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
        Assert.Equal("page", problem.GetProperty("field").GetString());
    }
}
