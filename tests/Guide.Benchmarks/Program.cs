using System.Security.Cryptography;
using Guide.Benchmarks;
using MySqlConnector;

// Wallet charge benchmark (issues 11 and 14). On MySQL, drives POST /api/integration/wallet/charges with
// concurrent clients over many wallets, then the equivalent SQL transaction through a raw MySqlConnector loop
// at the same concurrency, and prints throughput, p95 and their ratio; then the same with one hot wallet; then
// payment-code charges (what a till does: the code is spent in the charge's transaction) against the raw loop
// spending a code the same way. Started by scripts/bench-wallet.sh (private MariaDB, Release build).

var options = BenchOptions.Parse(args);
if (options.Runs("sqlite")) return await SqliteDurability.RunAsync(options);
var database = "guide_bench_" + Guid.NewGuid().ToString("N")[..10];
await using (var server = new MySqlConnection(options.ServerConnectionString))
{
    await server.OpenAsync();
    await new MySqlCommand($"CREATE DATABASE `{database}` CHARACTER SET utf8mb4", server).ExecuteNonQueryAsync();
}
var connectionString = $"{options.ServerConnectionString.TrimEnd(';')};Database={database};Maximum Pool Size=200;";
var environment = GuideProcess.Environment(connectionString, options.ServerVersion, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
foreach (var pair in options.ApiEnvironment) environment[pair.Key] = pair.Value; // --api-env NAME=VALUE: the API process only (experiments)

try
{
    Console.WriteLine($"database {database}; {options.Concurrency} clients; {options.Seconds} s per phase (+{options.WarmUpSeconds} s warm-up); {options.Wallets} wallets");
    await GuideProcess.RunCommandAsync(options.ApiDll, environment, "migrate");
    // --phases expiry: issue 16's expiry job over a million lots against hand-written SQL (no API server needed).
    var expiryExit = options.Runs("expiry") ? await PointsExpiryBench.RunAsync(connectionString, options.ApiDll, environment, options.Lots, options.LotsPerMember) : 0;
    // --phases wecom: issue 17's WeCom callbacks (its own API process with the jobs on, and the fake WeCom in this process).
    var wecomExit = options.Runs("wecom")
        ? await WeComCallbacks.RunAsync(connectionString, options.ApiDll, environment, options.Concurrency, options.ApiEnvironment,
            TimeSpan.FromSeconds(options.WeComAwardTimeoutSeconds))
        : 0;
    // --phases care: issue 19's care generation job over a million members against one hand-written INSERT ... SELECT (no API server needed).
    var careExit = options.Runs("care") ? await CareGenerationBench.RunAsync(connectionString, options.ApiDll, environment, options.CareMembers) : 0;
    if (options.Phases.All(p => p is "expiry" or "wecom" or "care")) return expiryExit | wecomExit | careExit;
    // --phases commission: issue 18's ledger over a million entries (its own API process), alone.
    if (options.Runs("commission"))
        return await CommissionBench.RunAsync(connectionString, options.ApiDll, environment, options.Concurrency, options.Seconds, options.WarmUpSeconds);
    // --phases campaign: issue 20's campaign estimate against a hand-written anti-join, then its send and drain (its own API process), alone.
    if (options.Runs("campaign")) return await CampaignBench.RunAsync(connectionString, options.ApiDll, environment, options.CampaignMembers, options.CampaignDrainSeconds);
    // --phases care-tasks: issue 19's guide task list (16 guides x 2,000 open tasks, its own API process), alone.
    if (options.Runs("care-tasks"))
        return await CareTaskListBench.RunAsync(connectionString, options.ApiDll, environment, options.Concurrency, options.Seconds, options.WarmUpSeconds);
    await using var api = await GuideProcess.StartAsync(options.ApiDll, environment);
    using var http = ChargeClient.Http(api.BaseAddress);
    // --phases mall: issue 16's flash redemption (its own members and item), alone or with the wallet phases.
    var mallExit = options.Runs("mall") ? await MallFlash.RunAsync(http, connectionString, concurrency: options.Concurrency) : 0;
    if (options.Phases.All(p => p == "mall")) return mallExit;
    var pos = await ChargeClient.CreateAsync(http, options.ApiDll, environment);
    var members = await pos.MembersWithFloatAsync(options.Wallets + 1);
    var hot = members[^1];
    members.RemoveAt(members.Count - 1);
    var raw = await RawCharge.PrepareAsync(connectionString);
    var databaseProcess = await DatabaseProcess.FindAsync(connectionString);

    var warmUp = TimeSpan.FromSeconds(options.WarmUpSeconds);
    var duration = TimeSpan.FromSeconds(options.Seconds);
    var results = new List<(Measurement Endpoint, Measurement Raw)>();
    foreach (var (label, pick) in new (string, Func<int, long, Guid>)[]
             {
                 ("many wallets", (worker, n) => members[(int)((n * 7919 + worker) % members.Count)]),
                 ("one hot wallet", (_, _) => hot),
             }.Where(p => options.Runs(p.Item1 == "many wallets" ? "many" : "hot")))
    {
        var cpu = CpuWindow.MeasureAsync(() => api.CpuTime, warmUp, duration);
        var dbCpu = CpuWindow.MeasureAsync(databaseProcess.CpuTime, warmUp, duration);
        var endpoint = await ClosedLoop.RunAsync($"endpoint, {label}", options.Concurrency, warmUp, duration,
            (worker, n) => pos.ChargeAsync(new { documentNumber = $"B-{label[0]}-{n}", amount = 1, memberId = pick(worker, n) }));
        endpoint = endpoint with
        {
            ApiCpuMsPerOp = (await cpu).TotalMilliseconds / Math.Max(1, endpoint.Attempts),
            DbCpuMsPerOp = (await dbCpu).TotalMilliseconds / Math.Max(1, endpoint.Attempts),
        };
        var rawDbCpu = CpuWindow.MeasureAsync(databaseProcess.CpuTime, warmUp, duration);
        var baseline = await ClosedLoop.RunAsync($"raw MySqlConnector, {label}", options.Concurrency, warmUp, duration,
            (worker, n) => raw.ChargeAsync(pick(worker, n), 1, $"R-{label[0]}-{n}"));
        baseline = baseline with { DbCpuMsPerOp = (await rawDbCpu).TotalMilliseconds / Math.Max(1, baseline.Attempts) };
        results.Add((endpoint, baseline));
    }

    if (options.Runs("codes"))
    {
        // A till: every charge spends a payment code (会员码). Codes are written straight into wallet_tokens (as the
        // mini program's GET /api/mp/wallet/payment-code would, hashed), valid long enough for the phase.
        var codes = await RawCharge.IssuePaymentCodesAsync(connectionString, members, 2 * options.Concurrency * (options.Seconds + options.WarmUpSeconds) * 150);
        var tillCpu = CpuWindow.MeasureAsync(() => api.CpuTime, warmUp, duration);
        var tillDbCpu = CpuWindow.MeasureAsync(databaseProcess.CpuTime, warmUp, duration);
        var tillEndpoint = await ClosedLoop.RunAsync("endpoint, payment codes", options.Concurrency, warmUp, duration,
            (_, n) => pos.ChargeAsync(new { documentNumber = $"B-c-{n}", amount = 1, paymentCode = codes.Endpoint.Take().Code }));
        tillEndpoint = tillEndpoint with
        {
            ApiCpuMsPerOp = (await tillCpu).TotalMilliseconds / Math.Max(1, tillEndpoint.Attempts),
            DbCpuMsPerOp = (await tillDbCpu).TotalMilliseconds / Math.Max(1, tillEndpoint.Attempts),
        };
        var tillRawDbCpu = CpuWindow.MeasureAsync(databaseProcess.CpuTime, warmUp, duration);
        var tillBaseline = await ClosedLoop.RunAsync("raw MySqlConnector, payment codes", options.Concurrency, warmUp, duration, (worker, n) =>
        {
            var (code, member) = codes.Raw.Take();
            return raw.ChargeByPaymentCodeAsync(code, member, 1, $"R-c-{n}");
        });
        tillBaseline = tillBaseline with { DbCpuMsPerOp = (await tillRawDbCpu).TotalMilliseconds / Math.Max(1, tillBaseline.Attempts) };
        results.Add((tillEndpoint, tillBaseline));
    }

    Console.WriteLine();
    foreach (var (endpoint, baseline) in results)
    {
        Console.WriteLine(endpoint);
        Console.WriteLine(baseline);
        Console.WriteLine($"{"  ratio endpoint / raw",-34}       throughput {endpoint.Throughput / baseline.Throughput,6:0.00}   p95 {endpoint.P95Ms / baseline.P95Ms,6:0.00}x");
    }
    var violations = await RawCharge.CheckInvariantsAsync(connectionString);
    Console.WriteLine(violations == 0 ? "invariants: every wallet equals the sum of its entries and of its lots" : $"INVARIANT VIOLATIONS: {violations}");
    return violations == 0 ? 0 : 1;
}
finally
{
    MySqlConnection.ClearAllPools();
    await using var server = new MySqlConnection(options.ServerConnectionString);
    await server.OpenAsync();
    await new MySqlCommand($"DROP DATABASE IF EXISTS `{database}`", server).ExecuteNonQueryAsync();
}

internal sealed record BenchOptions(string ApiDll, string ServerConnectionString, string ServerVersion, int Concurrency, int Seconds, int WarmUpSeconds, int Wallets,
    string[] Phases)
{
    /// <summary>--phases expiry: how many due lots each side expires (--lots), and lots per member (--lots-per-member).</summary>
    public int Lots { get; init; } = 1_000_000;

    public int LotsPerMember { get; init; } = 10;

    /// <summary>--phases care: how many members the care generation runs over (--care-members).</summary>
    public int CareMembers { get; init; } = 1_000_000;

    /// <summary>--phases campaign: how many members the campaign reaches (--campaign-members).</summary>
    public int CampaignMembers { get; init; } = 100_000;

    /// <summary>--phases campaign: how long the drain is timed at most (--campaign-drain-seconds; the whole outbox at this machine's rate takes long).</summary>
    public int CampaignDrainSeconds { get; init; } = 120;

    /// <summary>--phases wecom: how long to wait after the last answer for every award (--wecom-timeout seconds).</summary>
    public int WeComAwardTimeoutSeconds { get; init; } = 300;

    /// <summary>Extra environment variables for the API process only (repeatable <c>--api-env NAME=VALUE</c>).</summary>
    public IReadOnlyDictionary<string, string> ApiEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>--phases many,hot,codes (default: all three), mall (the points mall's flash redemption), expiry (points expiry, --lots), commission (issue 18: summary, CSV, posting over a million entries), care (issue 19: care generation over a million members), care-tasks (issue 19: a guide's task list), campaign (issue 20: estimate, send and drain over 100,000 members); or sqlite (alone): charges on SQLite with synchronous FULL and NORMAL.</summary>
    public bool Runs(string phase) => Phases.Contains(phase);

    public static BenchOptions Parse(string[] args)
    {
        string Arg(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
        }
        return new BenchOptions(
            Path.GetFullPath(Arg("api-dll")),
            Arg("mysql", Environment.GetEnvironmentVariable("GUIDE_TEST_MYSQL")),
            Arg("server-version", Environment.GetEnvironmentVariable("GUIDE_TEST_MYSQL_VERSION")),
            int.Parse(Arg("concurrency", "16")), int.Parse(Arg("seconds", "15")), int.Parse(Arg("warm-up", "3")), int.Parse(Arg("wallets", "200")),
            Arg("phases", "many,hot,codes").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            Lots = int.Parse(Arg("lots", "1000000")),
            LotsPerMember = int.Parse(Arg("lots-per-member", "10")),
            CareMembers = int.Parse(Arg("care-members", "1000000")),
            CampaignMembers = int.Parse(Arg("campaign-members", "100000")),
            CampaignDrainSeconds = int.Parse(Arg("campaign-drain-seconds", "120")),
            WeComAwardTimeoutSeconds = int.Parse(Arg("wecom-timeout", "300")),
            ApiEnvironment = args.Select((a, i) => (a, i)).Where(x => x.a == "--api-env" && x.i + 1 < args.Length)
                .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
        };
    }
}
