using Guide.Benchmarks;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Hosting;

/// <summary>The try-it-without-WeChat simulator, start-up refusals, and the operations commands.</summary>
public sealed class SimulatorAndCommandTests
{
    private static Dictionary<string, string?> SqliteSettings(out string folder)
    {
        folder = Path.Combine(Path.GetTempPath(), "guide-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new()
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataFolder"] = folder,
            ["Jobs:Enabled"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
    }

    [Fact]
    public async Task In_simulator_mode_a_newcomer_logs_in_as_shopper_guide_and_hq_without_wechat()
    {
        var settings = SqliteSettings(out _);
        settings["Simulator:Enabled"] = "true";
        await using var host = new GuideApiFactory(settings);
        var client = host.CreateClient();

        var first = await client.PostAsJsonAsync("/api/mp/session", new { code = "alice" });
        var second = await client.PostAsJsonAsync("/api/mp/session", new { code = "alice" });
        Assert.True(first.StatusCode == HttpStatusCode.OK, $"{(int)first.StatusCode} {await first.Content.ReadAsStringAsync()}");
        var shopper = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(shopper.GetProperty("memberId").GetGuid(), (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("memberId").GetGuid());
        client.DefaultRequestHeaders.Authorization = new("Bearer", shopper.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/mp/me/phone", new { code = "13800138000" })).StatusCode);
        Assert.Equal("13800138000", (await client.GetFromJsonAsync<JsonElement>("/api/mp/me")).GetProperty("phone").GetString());

        client.DefaultRequestHeaders.Authorization = null;
        var guide = await client.PostAsJsonAsync("/api/guide/session", new { code = "sim-guide" });
        Assert.Equal(HttpStatusCode.OK, guide.StatusCode);

        var hq = await client.PostAsJsonAsync("/api/admin/session", new { userName = "hq", password = "simulator-only" });
        Assert.Equal(HttpStatusCode.OK, hq.StatusCode);
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await hq.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var stores = await client.GetFromJsonAsync<JsonElement>("/api/admin/stores");
        Assert.Contains(stores.EnumerateArray(), s => s.GetProperty("code").GetString() == "SIM-001");
    }

    [Fact]
    public void The_simulator_refuses_to_start_in_production()
    {
        var settings = SqliteSettings(out _);
        settings["Simulator:Enabled"] = "true";
        settings["Auth:SigningKey"] = ApiFixture.SigningKey;
        using var host = new GuideApiFactory(settings, environment: "Production");
        var error = Assert.ThrowsAny<Exception>(() => host.Server);
        Assert.Contains("Simulator", Flatten(error));
    }

    [Fact]
    public void Production_refuses_to_start_without_a_signing_key()
    {
        using var host = new GuideApiFactory(SqliteSettings(out _), environment: "Production");
        var error = Assert.ThrowsAny<Exception>(() => host.Server);
        Assert.Contains("Auth:SigningKey", Flatten(error));
    }

    [Fact]
    public void An_unknown_database_provider_is_refused_at_start_up()
    {
        var settings = SqliteSettings(out _);
        settings["Database:Provider"] = "Postgres";
        using var host = new GuideApiFactory(settings);
        var error = Assert.ThrowsAny<Exception>(() => host.Server);
        Assert.Contains("Database:Provider", Flatten(error));
    }

    [SkippableTheory]
    [InlineData("Sqlite")]
    [InlineData("MySql")]
    public async Task Migrate_create_admin_and_create_integration_client_commands_work_from_the_binary(string provider)
    {
        var environment = new Dictionary<string, string>
        {
            ["Jobs__Enabled"] = "false",
            ["GUIDE_ADMIN_PASSWORD"] = "a-long-enough-password",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production", // commands need no JWT key, even in Production
        };
        ScratchDatabase? scratch = null;
        DbContextOptions<GuideDbContext> options;
        if (provider == "MySql")
        {
            var unavailable = MySqlApi.CheckAvailable();
            Skip.If(unavailable is not null, unavailable);
            scratch = await MySqlApi.CreateScratchDatabaseAsync("guide_c_");
            environment["Database__Provider"] = "MySql";
            environment["Database__ServerVersion"] = MySqlApi.ServerVersion;
            environment["ConnectionStrings__Guide"] = scratch.ConnectionString;
            options = new DbContextOptionsBuilder<GuideDbContext>()
                .UseMySql(scratch.ConnectionString, ServerVersion.Parse(MySqlApi.ServerVersion)).Options;
        }
        else
        {
            SqliteSettings(out var folder);
            environment["Database__Provider"] = "Sqlite";
            environment["Database__DataFolder"] = folder;
            options = new DbContextOptionsBuilder<GuideDbContext>().UseSqlite($"Data Source={Path.Combine(folder, "guide.db")}").Options;
        }
        await using var _ = scratch;

        var migrate = await RunApiAsync(environment, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        var admin = await RunApiAsync(environment, "create-admin", "boss", "老板");
        Assert.True(admin.ExitCode == 0, admin.Output);
        var again = await RunApiAsync(environment, "create-admin", "boss", "老板");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("admin.user_name_taken", again.Output);
        var client = await RunApiAsync(environment, "create-integration-client", "pos-001", "POS");
        Assert.True(client.ExitCode == 0, client.Output);
        Assert.Contains("Secret: ", client.Output);

        await using var db = new GuideDbContext(options);
        Assert.Equal("老板", (await db.HqAdmins.SingleAsync(a => a.UserName == "boss")).DisplayName);
        Assert.True(await db.IntegrationClients.AnyAsync(c => c.KeyId == "pos-001"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static Task<(int ExitCode, string Output)> RunApiAsync(Dictionary<string, string> environment, params string[] args)
    {
        // The API's own build output, next to this test assembly's configuration (Debug or Release).
        var dll = GuideProcess.LocateApiDll(new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name);
        Assert.True(File.Exists(dll), dll + " is missing: build the solution first");
        return GuideProcess.TryRunCommandAsync(dll, environment, args);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
