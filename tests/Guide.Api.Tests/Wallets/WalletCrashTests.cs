using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Benchmarks;
using Guide.Domain.Integration;
using Guide.Domain.Members;
using Guide.Domain.Persistence;
using Guide.Domain.Wallets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Wallets;

/// <summary>
/// The API runs as a real process; it is killed with SIGKILL in the middle of a stream of concurrent charges
/// and started again. Every charge answered with success is in the ledger, none is half-applied, a resend of
/// any of them (answered or not) is applied at most once, and every balance equals its entries and its lots.
/// </summary>
public sealed class WalletCrashTests
{
    private const int Members = 4;
    private const long Credit = 1_000_000;

    [SkippableFact]
    public async Task On_mysql_a_killed_process_leaves_every_answered_charge_in_the_ledger_and_nothing_half_applied()
    {
        var unavailable = MySqlApi.CheckAvailable();
        Skip.If(unavailable is not null, unavailable);
        await using var scratch = await MySqlApi.CreateScratchDatabaseAsync("guide_k_");
        await RunAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["Database:ServerVersion"] = MySqlApi.ServerVersion,
            ["ConnectionStrings:Guide"] = scratch.ConnectionString,
        });
    }

    [Fact]
    public async Task On_sqlite_a_killed_process_leaves_every_answered_charge_in_the_ledger_and_nothing_half_applied()
    {
        var folder = Path.Combine(Path.GetTempPath(), "guide-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await RunAsync(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:DataFolder"] = folder,
                ["ConnectionStrings:Guide"] = $"Data Source={Path.Combine(folder, "guide.db")}",
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task RunAsync(Dictionary<string, string?> database)
    {
        var settings = new Dictionary<string, string?>(database)
        {
            ["Auth:SigningKey"] = ApiFixture.SigningKey,
            ["Jobs:Enabled"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };

        // Migrate and seed in process: members with credited wallets, and a POS client.
        List<Guid> members;
        IntegrationClientCredentials pos;
        await using (var host = new GuideApiFactory(settings))
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            members = [];
            for (var i = 0; i < Members; i++)
            {
                var member = new Member(ApiFixture.Unique("crash"), null, DateTimeOffset.UtcNow);
                db.Members.Add(member);
                await db.SaveChangesAsync();
                await mediator.Send(new AdjustWallet(member.Id, Credit, Credit / 10, "crash test", Guid.NewGuid(), Guid.NewGuid().ToString()));
                members.Add(member.Id);
            }
            pos = await mediator.Send(new CreateIntegrationClient(ApiFixture.Unique("pos"), "crash POS", MayChargeByMemberId: true));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var answered = new ConcurrentDictionary<string, (Guid Member, long Amount, Guid ChargeId)>();
        var sent = new ConcurrentDictionary<string, (Guid Member, long Amount)>();
        var apiDll = ApiDll();
        var environment = settings.ToDictionary(kv => kv.Key.Replace(":", "__"), kv => kv.Value ?? "");
        environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        environment["Database__MigrateOnStartup"] = "false";
        var api = await GuideProcess.StartAsync(apiDll, environment);
        try
        {
            using var http = Client(pos, api.BaseAddress);

            // A stream of concurrent charges; the process is killed in the middle of it.
            using var stop = new CancellationTokenSource();
            var counter = 0;
            var workers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                var random = new Random(w);
                while (!stop.IsCancellationRequested)
                {
                    var doc = $"K-{w}-{Interlocked.Increment(ref counter)}";
                    var member = members[random.Next(members.Count)];
                    var amount = random.Next(1, 500);
                    sent[doc] = (member, amount);
                    try
                    {
                        using var response = await http.PostAsJsonAsync("/api/integration/wallet/charges", new { documentNumber = doc, amount, memberId = member });
                        if (response.StatusCode != HttpStatusCode.OK) continue;
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                        answered[doc] = (member, amount, body.GetProperty("chargeId").GetGuid());
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
                    {
                        // the process died under this request: its fate is decided below
                    }
                }
            })).ToList();

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (answered.Count < 150 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.True(answered.Count >= 150, $"only {answered.Count} charges answered before the kill");
            stop.Cancel(); // no new charges; those in flight meet the kill
            await api.KillAsync(); // SIGKILL
            await Task.WhenAll(workers);
        }
        finally
        {
            await api.DisposeAsync();
        }

        // Started again on the same database.
        await using (var restarted = await GuideProcess.StartAsync(apiDll, environment))
        {
            using var http = Client(pos, restarted.BaseAddress);
            await using var host = new GuideApiFactory(settings);
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();

            var charges = await db.WalletCharges.AsNoTracking().ToDictionaryAsync(c => c.DocumentNumber);
            foreach (var (doc, (member, amount, chargeId)) in answered)
            {
                Assert.True(charges.TryGetValue(doc, out var charge), $"answered charge {doc} is not in the ledger");
                Assert.Equal((chargeId, member, amount), (charge.Id, charge.MemberId, charge.Amount));
                Assert.True(await db.WalletEntries.AnyAsync(e => e.Id == charge.EntryId), $"charge {doc} has no entry");
            }
            foreach (var memberId in members) await WalletBuilders.AssertWalletConsistentAsync(db, memberId);

            // Resending everything (answered or lost) applies each document at most once.
            foreach (var (doc, (member, amount)) in sent)
            {
                using var response = await http.PostAsJsonAsync("/api/integration/wallet/charges", new { documentNumber = doc, amount, memberId = member });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(charges.ContainsKey(doc), body.GetProperty("replayed").GetBoolean());
                if (answered.TryGetValue(doc, out var first)) Assert.Equal(first.ChargeId, body.GetProperty("chargeId").GetGuid());
            }
            db.ChangeTracker.Clear();
            foreach (var memberId in members)
            {
                await WalletBuilders.AssertWalletConsistentAsync(db, memberId);
                var spent = sent.Where(s => s.Value.Member == memberId).Sum(s => s.Value.Amount);
                var wallet = await db.Wallets.AsNoTracking().SingleAsync(w => w.MemberId == memberId);
                Assert.Equal(Credit + Credit / 10 - spent, wallet.Principal + wallet.Gift);
            }
            Assert.Equal(sent.Count, await db.WalletCharges.CountAsync());
        }
    }

    private static HttpClient Client(IntegrationClientCredentials pos, Uri api) =>
        new(new SigningHandler(pos.KeyId, pos.Secret, () => DateTimeOffset.UtcNow) { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 } })
        {
            BaseAddress = api,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>The API's own build output (built with the tests, same configuration).</summary>
    private static string ApiDll()
    {
        var dll = GuideProcess.LocateApiDll(new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name);
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }
}
