using System.Net;
using System.Net.Http.Json;
using System.Text;
using Guide.Api.Tests.Support;

namespace Guide.Api.Tests.Hosting;

/// <summary>Health, OpenAPI, Swagger UI, request ids, and bad input that must never become a 500.</summary>
public abstract class HostBehaviourTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    [SkippableFact]
    public async Task Health_openapi_and_swagger_answer()
    {
        var client = Api.Client();
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
        var openApi = await ReadJsonAsync(await client.GetAsync("/openapi/v1.json"));
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/mp/session", "/api/mp/me", "/api/guide/members", "/api/admin/guides/import", "/api/integration/members/lookup" })
            Assert.True(paths.TryGetProperty(path, out _), path + " is missing from the OpenAPI document");
        var swagger = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        Assert.Contains("swagger", await swagger.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task The_callers_request_id_is_echoed_and_put_in_problems()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/mp/me");
        request.Headers.Add("X-Request-Id", "pos-till-7-000123");
        var response = await Api.Client().SendAsync(request);
        Assert.Equal("pos-till-7-000123", response.Headers.GetValues("X-Request-Id").Single());
        var body = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "auth.unauthenticated");
        Assert.Equal("pos-till-7-000123", body.GetProperty("requestId").GetString());

        var hostile = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        hostile.Headers.TryAddWithoutValidation("X-Request-Id", "<script>alert(1)</script>");
        var answered = await Api.Client().SendAsync(hostile);
        Assert.DoesNotContain("<", answered.Headers.GetValues("X-Request-Id").Single());
    }

    public static TheoryData<string, string, string> Garbage => new()
    {
        { "/api/mp/session", "application/json", "{not json" },
        { "/api/mp/session", "application/json", "[1,2,3]" },
        { "/api/mp/session", "application/json", "{\"code\": 12}" },
        { "/api/mp/session", "application/json", "" },
        { "/api/mp/session", "application/json", "{\"code\": \"" + new string('x', 5000) + "\"}" },
        { "/api/admin/session", "application/json", "{\"userName\": null, \"password\": null}" },
        { "/api/guide/session", "application/json", "null" },
    };

    [SkippableTheory]
    [MemberData(nameof(Garbage))]
    public async Task Malformed_bodies_are_400_problems_never_500(string path, string contentType, string body)
    {
        var response = await Api.Client().PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ReadJsonAsync(response);
        Assert.Contains(problem.GetProperty("code").GetString(), new[] { "request.malformed", "request.validation_failed" });
    }

    [SkippableFact]
    public async Task Wrong_media_type_unknown_routes_and_wrong_methods_are_problems()
    {
        var client = Api.Client();
        await AssertProblemAsync(await client.PostAsync("/api/mp/session", new StringContent("code=x", Encoding.UTF8, "application/x-www-form-urlencoded")),
            HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        await AssertProblemAsync(await client.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound, "route.not_found");
        await AssertProblemAsync(await client.DeleteAsync("/api/mp/session"), HttpStatusCode.MethodNotAllowed, "request.method_not_allowed");
    }

    [SkippableFact]
    public async Task Problems_are_json_whatever_the_client_accepts_and_an_unknown_charset_is_415()
    {
        var unauthenticated = new HttpRequestMessage(HttpMethod.Get, "/api/mp/me");
        unauthenticated.Headers.Accept.ParseAdd("application/xml");
        await AssertProblemAsync(await Api.Client().SendAsync(unauthenticated), HttpStatusCode.Unauthorized, "auth.unauthenticated");

        // A domain error goes through the exception handler, which used to turn a declined write into a 500.
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var lookup = new HttpRequestMessage(HttpMethod.Post, "/api/integration/members/lookup") { Content = JsonContent.Create(new { phone = "13900000000" }) };
        lookup.Headers.Accept.ParseAdd("application/xml");
        await AssertProblemAsync(await pos.SendAsync(lookup), HttpStatusCode.NotFound, "member.not_found");

        var bogus = new ByteArrayContent("{\"code\":\"x\"}"u8.ToArray());
        bogus.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=bogus");
        await AssertProblemAsync(await Api.Client().PostAsync("/api/mp/session", bogus), HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [SkippableFact]
    public async Task Query_strings_of_the_wrong_type_are_400_not_500()
    {
        var admin = Api.Client((await Api.LogInAdminAsync()).Token);
        await AssertProblemAsync(await admin.GetAsync("/api/admin/members?page=abc"), HttpStatusCode.BadRequest, "request.malformed");
        await AssertProblemAsync(await admin.GetAsync("/api/admin/guides?storeId=not-a-guid"), HttpStatusCode.BadRequest, "request.malformed");
        var huge = await admin.GetAsync("/api/admin/members?page=2147483647&pageSize=100000");
        Assert.Equal(HttpStatusCode.OK, huge.StatusCode);
        Assert.Equal(100, (await ReadJsonAsync(huge)).GetProperty("pageSize").GetInt32());
    }
}

public sealed class HostBehaviourTestsOnSqlite(SqliteApi fixture) : HostBehaviourTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class HostBehaviourTestsOnMySql(MySqlApi fixture) : HostBehaviourTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
