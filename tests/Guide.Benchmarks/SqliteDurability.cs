namespace Guide.Benchmarks;

/// <summary>
/// What <c>PRAGMA synchronous=FULL</c> costs on the embedded database (issue 14): the same charge phase (many
/// wallets) against the API on SQLite, once with FULL (the default: every commit reaches the disk) and once with
/// NORMAL (WAL synced only at checkpoints: an answered charge can be lost on power loss).
/// </summary>
internal static class SqliteDurability
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var folder = Path.Combine(Path.GetTempPath(), "guide-bench-sqlite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var results = new List<Measurement>();
            foreach (var synchronous in new[] { "FULL", "NORMAL" })
            {
                var environment = GuideProcess.Environment($"Data Source={Path.Combine(folder, $"guide-{synchronous}.db")}", "",
                    Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
                environment["Database__SqliteSynchronous"] = synchronous;
                foreach (var pair in options.ApiEnvironment) environment[pair.Key] = pair.Value;
                await GuideProcess.RunCommandAsync(options.ApiDll, environment, "migrate");
                await using var api = await GuideProcess.StartAsync(options.ApiDll, environment);
                using var http = ChargeClient.Http(api.BaseAddress);
                var pos = await ChargeClient.CreateAsync(http, options.ApiDll, environment);
                var members = await pos.MembersWithFloatAsync(options.Wallets);
                results.Add(await ClosedLoop.RunAsync($"SQLite, synchronous={synchronous}", options.Concurrency,
                    TimeSpan.FromSeconds(options.WarmUpSeconds), TimeSpan.FromSeconds(options.Seconds),
                    (worker, n) => pos.ChargeAsync(new { documentNumber = $"S-{n}", amount = 1, memberId = members[(int)((n * 7919 + worker) % members.Count)] })));
            }
            Console.WriteLine();
            foreach (var r in results) Console.WriteLine(r);
            Console.WriteLine($"{"  FULL / NORMAL",-34}       throughput {results[0].Throughput / results[1].Throughput,6:0.00}   p95 {results[0].P95Ms / results[1].P95Ms,6:0.00}x");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
