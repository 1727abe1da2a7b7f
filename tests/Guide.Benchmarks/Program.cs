using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Guide.Api.Auth;
using Guide.Benchmarks;
using MySqlConnector;

// Wallet charge benchmark (issues 11 and 14). On MySQL, drives POST /api/integration/wallet/charges with
// concurrent clients over many wallets, then the equivalent SQL transaction through a raw MySqlConnector loop
// at the same concurrency, and prints throughput, p95 and their ratio; then the same with one hot wallet; then
// payment-code charges (what a till does: the code is spent in the charge's transaction) against the raw loop
// spending a code the same way. Started by scripts/bench-wallet.sh (private MariaDB, Release build).

var options = BenchOptions.Parse(args);
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
    var clientOutput = await GuideProcess.RunCommandAsync(options.ApiDll, environment, "create-integration-client", "bench-pos", "Benchmark POS",
        "--may-charge-by-member-id");
    var keyId = "bench-pos";
    var secret = clientOutput.Split('\n').Single(l => l.StartsWith("Secret: ", StringComparison.Ordinal))["Secret: ".Length..].Trim();

    await using var api = await GuideProcess.StartAsync(options.ApiDll, environment);
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = api.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    // Shoppers through the simulator's WeChat, wallets credited by HQ adjustments (ledger entries like any other).
    var hqToken = await LogInAsync(http, "/api/admin/session", new { userName = "hq", password = "simulator-only" });
    var members = new List<Guid>();
    foreach (var i in Enumerable.Range(0, options.Wallets + 1))
    {
        var response = await http.PostAsJsonAsync("/api/mp/session", new { code = $"bench-{i}" });
        response.EnsureSuccessStatusCode();
        var memberId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("memberId").GetGuid();
        var credit = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/members/{memberId}/wallet/adjustments")
        {
            Content = JsonContent.Create(new { principal = 1_000_000_000L, gift = 100_000_000L, reason = "benchmark float" }),
        };
        credit.Headers.Authorization = new("Bearer", hqToken);
        credit.Headers.Add("Idempotency-Key", $"bench-float-{i}");
        (await http.SendAsync(credit)).EnsureSuccessStatusCode();
        members.Add(memberId);
    }
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
        var cpu = CpuOfMeasuredWindow(() => api.CpuTime, warmUp, duration);
        var dbCpu = CpuOfMeasuredWindow(databaseProcess.CpuTime, warmUp, duration);
        var endpoint = await ClosedLoop.RunAsync($"endpoint, {label}", options.Concurrency, warmUp, duration, async (worker, n) =>
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new { documentNumber = $"B-{label[0]}-{n}", amount = 1, memberId = pick(worker, n) });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/integration/wallet/charges") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            Sign(request, keyId, secret, body);
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK ? Outcome.Succeeded : (int)response.StatusCode < 500 ? Outcome.Refused : Outcome.Error;
        });
        endpoint = endpoint with
        {
            ApiCpuMsPerOp = (await cpu).TotalMilliseconds / Math.Max(1, endpoint.Succeeded + endpoint.Refused + endpoint.Errors),
            DbCpuMsPerOp = (await dbCpu).TotalMilliseconds / Math.Max(1, endpoint.Succeeded + endpoint.Refused + endpoint.Errors),
        };
        var rawDbCpu = CpuOfMeasuredWindow(databaseProcess.CpuTime, warmUp, duration);
        var baseline = await ClosedLoop.RunAsync($"raw MySqlConnector, {label}", options.Concurrency, warmUp, duration,
            (worker, n) => raw.ChargeAsync(pick(worker, n), 1, $"R-{label[0]}-{n}"));
        baseline = baseline with { DbCpuMsPerOp = (await rawDbCpu).TotalMilliseconds / Math.Max(1, baseline.Succeeded + baseline.Refused + baseline.Errors) };
        results.Add((endpoint, baseline));
    }

    if (options.Runs("codes"))
    {
    // A till: every charge spends a payment code (会员码). Codes are written straight into wallet_tokens (as the
    // mini program's GET /api/mp/wallet/payment-code would, hashed), valid long enough for the phase.
    var codes = await RawCharge.IssuePaymentCodesAsync(connectionString, members, 2 * options.Concurrency * (options.Seconds + options.WarmUpSeconds) * 150);
    var tillCpu = CpuOfMeasuredWindow(() => api.CpuTime, warmUp, duration);
    var tillEndpoint = await ClosedLoop.RunAsync("endpoint, payment codes", options.Concurrency, warmUp, duration, async (worker, n) =>
    {
        var (code, _) = codes.Endpoint.Take();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { documentNumber = $"B-c-{n}", amount = 1, paymentCode = code });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/integration/wallet/charges") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        Sign(request, keyId, secret, body);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK ? Outcome.Succeeded : (int)response.StatusCode < 500 ? Outcome.Refused : Outcome.Error;
    });
    tillEndpoint = tillEndpoint with { ApiCpuMsPerOp = (await tillCpu).TotalMilliseconds / Math.Max(1, tillEndpoint.Succeeded + tillEndpoint.Refused + tillEndpoint.Errors) };
    var tillBaseline = await ClosedLoop.RunAsync("raw MySqlConnector, payment codes", options.Concurrency, warmUp, duration, (worker, n) =>
    {
        var (code, member) = codes.Raw.Take();
        return raw.ChargeByPaymentCodeAsync(code, member, 1, $"R-c-{n}");
    });
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

// The API's CPU time during a phase's measured window (after its warm-up), for its cost per request.
static async Task<TimeSpan> CpuOfMeasuredWindow(Func<TimeSpan> cpuTime, TimeSpan warmUp, TimeSpan duration)
{
    await Task.Delay(warmUp);
    var before = cpuTime();
    await Task.Delay(duration);
    return cpuTime() - before;
}

static async Task<string> LogInAsync(HttpClient http, string path, object body)
{
    var response = await http.PostAsJsonAsync(path, body);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
}

static void Sign(HttpRequestMessage request, string keyId, string secret, byte[] body)
{
    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
    var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    var toSign = IntegrationAuthenticationHandler.StringToSign("POST", request.RequestUri!.OriginalString, timestamp, nonce, body);
    request.Headers.Add(IntegrationAuthenticationHandler.KeyIdHeader, keyId);
    request.Headers.Add(IntegrationAuthenticationHandler.TimestampHeader, timestamp);
    request.Headers.Add(IntegrationAuthenticationHandler.NonceHeader, nonce);
    request.Headers.Add(IntegrationAuthenticationHandler.SignatureHeader, IntegrationAuthenticationHandler.Sign(secret, toSign));
}

internal sealed record BenchOptions(string ApiDll, string ServerConnectionString, string ServerVersion, int Concurrency, int Seconds, int WarmUpSeconds, int Wallets,
    string[] Phases)
{
    /// <summary>Extra environment variables for the API process only (repeatable <c>--api-env NAME=VALUE</c>).</summary>
    public IReadOnlyDictionary<string, string> ApiEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>--phases many,hot,codes (default: all three).</summary>
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
            ApiEnvironment = args.Select((a, i) => (a, i)).Where(x => x.a == "--api-env" && x.i + 1 < args.Length)
                .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
        };
    }
}
