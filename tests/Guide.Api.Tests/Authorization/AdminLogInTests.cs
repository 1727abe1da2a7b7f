using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;

namespace Guide.Api.Tests.Authorization;

public abstract class AdminLogInTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    [SkippableFact]
    public async Task The_right_password_gives_an_hq_token_and_a_wrong_one_a_401()
    {
        var admin = await Api.CreateAdminAsync();
        var ok = await Api.Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = ApiFixture.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var token = (await ReadJsonAsync(ok)).GetProperty("accessToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Api.Client(token).GetAsync("/api/admin/stores")).StatusCode);

        var wrong = await Api.Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = "not-the-password" });
        await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "admin.invalid_credentials");
        var nobody = await Api.Client().PostAsJsonAsync("/api/admin/session", new { userName = "no-such-admin", password = "whatever-it-is" });
        await AssertProblemAsync(nobody, HttpStatusCode.Unauthorized, "admin.invalid_credentials");
    }

    [SkippableFact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password()
    {
        var admin = await Api.CreateAdminAsync();
        for (var i = 0; i < 4; i++)
            await AssertProblemAsync(await Api.Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = "guess-" + i }),
                HttpStatusCode.Unauthorized, "admin.invalid_credentials");

        var fifth = await Api.Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = "guess-5" });
        var body = await AssertProblemAsync(fifth, HttpStatusCode.TooManyRequests, "admin.login_throttled");
        Assert.InRange(body.GetProperty("retryAfterSeconds").GetInt32(), 800, 900);
        Assert.True(fifth.Headers.RetryAfter is not null);

        var right = await Api.Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = ApiFixture.AdminPassword });
        await AssertProblemAsync(right, HttpStatusCode.TooManyRequests, "admin.login_throttled");
    }

    [SkippableFact]
    public async Task Concurrent_guesses_are_all_counted()
    {
        var admin = await Api.CreateAdminAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Api.Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = "guess-" + i })));
        Assert.DoesNotContain(responses, r => r.StatusCode == HttpStatusCode.OK || (int)r.StatusCode >= 500);
        // However the guesses interleave, the account ends up locked: the right password is refused now.
        var right = await Api.Client().PostAsJsonAsync("/api/admin/session", new { admin.UserName, password = ApiFixture.AdminPassword });
        await AssertProblemAsync(right, HttpStatusCode.TooManyRequests, "admin.login_throttled");
    }

    [SkippableFact]
    public async Task An_integration_client_secret_is_shown_once_and_never_listed()
    {
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var keyId = ApiFixture.Unique("erp");
        var created = await hq.PostAsJsonAsync("/api/admin/integration-clients", new { keyId, name = "ERP 系统" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(string.IsNullOrEmpty((await ReadJsonAsync(created)).GetProperty("secret").GetString()));
        var list = await hq.GetStringAsync("/api/admin/integration-clients");
        Assert.Contains(keyId, list);
        Assert.DoesNotContain("secret", list, StringComparison.OrdinalIgnoreCase);
        var duplicate = await hq.PostAsJsonAsync("/api/admin/integration-clients", new { keyId, name = "again" });
        await AssertProblemAsync(duplicate, HttpStatusCode.Conflict, "integration.key_id_taken");
    }
}

public sealed class AdminLogInTestsOnSqlite(SqliteApi fixture) : AdminLogInTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class AdminLogInTestsOnMySql(MySqlApi fixture) : AdminLogInTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
