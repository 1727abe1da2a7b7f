using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// Issue 18's benchmark (--phases commission): 1,000,000 commission entries over 12 posting months, 500 stores in 20 areas,
/// 5,000 guides, seeded by set-based SQL (MariaDB's sequence engine). Then: the monthly summary endpoint against the
/// equivalent hand-written GROUP BY (median of 5 each, after one warm run; aim within 1.5x) with both grand totals; the CSV
/// export of one month for one area (and of the whole month) streamed, with the API's peak working set (aim under 200 MB);
/// and posting throughput of sales documents with 5 lines each at <c>concurrency</c> senders.
/// </summary>
internal static class CommissionBench
{
    private const int Entries = 1_000_000, Stores = 500, Areas = 20, Guides = 5_000, Months = 12;
    private const string FirstMonth = "2025-12-01"; // months 202512 .. 202611; postings land in the current month
    private const int SummaryMonthIndex = 6; // 2026-06
    private const string Area = "Area-07";

    public static async Task<int> RunAsync(string connectionString, string apiDll, Dictionary<string, string> environment, int concurrency, int seconds, int warmUpSeconds)
    {
        var month = DateTime.Parse(FirstMonth, CultureInfo.InvariantCulture).AddMonths(SummaryMonthIndex);
        var monthText = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var monthNumber = month.Year * 100 + month.Month;
        Console.WriteLine($"commission: {Entries:N0} entries over {Months} months, {Stores} stores in {Areas} areas, {Guides:N0} guides");

        var seeding = Stopwatch.StartNew();
        var seeded = await SeedAsync(connectionString);
        seeding.Stop();
        var table = new List<string> { $"  {"seed (INSERT ... SELECT FROM seq_1_to_N)",-52} {seeding.Elapsed.TotalSeconds,10:0.0} s    ({seeded:N0} entries)" };
        Console.WriteLine(table[^1]);

        await using var api = await GuideProcess.StartAsync(apiDll, environment);
        using var http = ChargeClient.Http(api.BaseAddress);
        http.Timeout = TimeSpan.FromMinutes(10);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await HqTokenAsync(http));

        // 3. CSV: one month for one area (the issue's case), then the whole month (a heavier file), streamed.
        foreach (var (label, query) in new[] { ($"CSV {monthText}, area {Area}", $"&area={Area}"), ($"CSV {monthText}, every area", "") })
        {
            var csv = await CsvAsync(http, api.ProcessId, $"/api/admin/commissions/entries?month={monthText}{query}&format=csv");
            table.Add($"  {label,-52} {csv.Ms,10:0.0} ms   ({csv.Bytes:N0} bytes, {csv.Rows:N0} data rows; expected {csv.Expected(connectionString, monthNumber, query != "" ? Area : null):N0}; " +
                      $"API peak working set {csv.PeakMb:0.0} MB [VmHWM after reset], max sampled RSS {csv.MaxRssMb:0.0} MB, RSS before {csv.RssBeforeMb:0.0} MB)");
            Console.WriteLine(table[^1]);
        }

        // 2. Summary: endpoint vs hand-written GROUP BY, same month, same run.
        long endpointTotal = 0, endpointRows = 0;
        async Task<double> EndpointSummaryAsync()
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync($"/api/admin/commissions/summary?month={monthText}");
            var body = await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"summary: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
            using var json = JsonDocument.Parse(body);
            endpointTotal = json.RootElement.GetProperty("totals").GetProperty("netCommission").GetInt64();
            endpointRows = json.RootElement.GetProperty("rows").GetArrayLength();
            return watch.Elapsed.TotalMilliseconds;
        }
        long rawTotal = 0, rawRows = 0;
        async Task<double> RawSummaryAsync()
        {
            var watch = Stopwatch.StartNew();
            (rawRows, rawTotal) = await RawSummaryQueryAsync(connectionString, monthNumber);
            watch.Stop();
            return watch.Elapsed.TotalMilliseconds;
        }
        await EndpointSummaryAsync();
        await RawSummaryAsync();
        var endpointRuns = new List<double>();
        var rawRuns = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            // Interleaved, so that the other load of this shared machine falls on both alike.
            endpointRuns.Add(await EndpointSummaryAsync());
            rawRuns.Add(await RawSummaryAsync());
        }
        var endpointMedian = Median(endpointRuns);
        var rawMedian = Median(rawRuns);
        table.Add($"  {$"summary endpoint, month {monthText} (median of 5)",-52} {endpointMedian,10:0.0} ms   ({endpointRows:N0} rows; runs {string.Join(", ", endpointRuns.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))})");
        table.Add($"  {"hand-written GROUP BY, MySqlConnector (median of 5)",-52} {rawMedian,10:0.0} ms   ({rawRows:N0} rows; runs {string.Join(", ", rawRuns.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))})");
        table.Add($"  {"  ratio endpoint / raw (aim <= 1.5)",-52} {endpointMedian / rawMedian,10:0.00}x");
        table.Add($"  {"  grand total commission: endpoint / raw",-52} {endpointTotal,10} / {rawTotal} fen {(endpointTotal == rawTotal ? "(equal)" : "(DIFFERENT)")}");
        foreach (var line in table.TakeLast(4)) Console.WriteLine(line);

        // 4. Posting: sales documents with 5 lines each.
        var pos = await ChargeClient.CreateAsync(http, apiDll, environment, "bench-commission");
        var now = DateTimeOffset.UtcNow;
        var run = Guid.NewGuid().ToString("N")[..6];
        var posting = await ClosedLoop.RunAsync("POST /api/integration/documents (5 lines)", concurrency, TimeSpan.FromSeconds(warmUpSeconds),
            TimeSpan.FromSeconds(seconds), (worker, n) =>
            {
                var guide = (int)((n * 7919 + worker) % Guides) + 1;
                var store = (guide - 1) % Stores + 1;
                var lines = Enumerable.Range(1, 5).Select(l => (object)new
                {
                    lineNo = l, sku = $"SKU-{l}", product = "纯棉T恤", category = "服装", quantity = 1, unitPrice = 10_000L, paidAmount = 10_000L,
                }).ToArray();
                return pos.PostAsync("/api/integration/documents", new
                {
                    documentNumber = $"CB-{run}-{n}", kind = "sale", storeCode = StoreCode(store), guide = GuideUser(guide), documentTime = now, lines,
                    payments = new object[] { new { method = "wechat_pay", amount = 50_000L } },
                });
            });
        var posted = await CountPostedAsync(connectionString, run);
        table.Add($"  {$"posting, {concurrency} senders, {seconds} s (+{warmUpSeconds} s warm-up)",-52} {posting.Throughput,10:0.0} documents/s  p50 {posting.P50Ms:0.0} ms  p95 {posting.P95Ms:0.0} ms  p99 {posting.P99Ms:0.0} ms" +
                  $"  (ok {posting.Succeeded}, refused {posting.Refused}, errors {posting.Errors}; entries of the run's documents in the ledger {posted.Entries:N0} for {posted.Documents:N0} documents)");
        Console.WriteLine(table[^1]);

        Console.WriteLine();
        Console.WriteLine($"commission benchmark (machine: {Environment.ProcessorCount} cores, shared by MariaDB, the API and the load generator)");
        foreach (var line in table) Console.WriteLine(line);
        var ok = endpointTotal == rawTotal && endpointRows == rawRows && posting.Errors == 0 && posting.Refused == 0;
        return ok ? 0 : 1;
    }

    private static string StoreCode(int store) => $"CB{store:0000}";
    private static string GuideUser(int guide) => $"cb-g-{guide}";

    private static async Task<long> SeedAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        long entries = 0;
        // Ids are readable GUIDs: stores 00000000-0000-0000-0001-<n>, guides ...-0002-<n>; guide g works in store (g-1) % 500 + 1,
        // store s is in area s % 20. Entry n: month n % 12, guide (n div 12) % 5000 + 1; every 20th a refund, every 50th an adjustment.
        foreach (var sql in new[]
                 {
                     $"INSERT INTO stores (Id, Code, Name, Area, Active, CreatedAt) SELECT CONCAT('00000000-0000-0000-0001-', LPAD(seq, 12, '0')), " +
                     $"CONCAT('CB', LPAD(seq, 4, '0')), CONCAT('门店', seq), CONCAT('Area-', LPAD(seq % {Areas}, 2, '0')), 1, UTC_TIMESTAMP(6) FROM seq_1_to_{Stores}",
                     $"INSERT INTO guides (Id, WeComUserId, Name, StoreId, Role, Mobile, Active, CreatedAt, managed_areas, SceneCode) " +
                     $"SELECT CONCAT('00000000-0000-0000-0002-', LPAD(seq, 12, '0')), CONCAT('cb-g-', seq), CONCAT('导购', seq), " +
                     $"CONCAT('00000000-0000-0000-0001-', LPAD((seq - 1) % {Stores} + 1, 12, '0')), 'Guide', NULL, 1, UTC_TIMESTAMP(6), '', NULL FROM seq_1_to_{Guides}",
                     "INSERT INTO commission_rules (Id, Scope, ScopeValue, Method, Value, EffectiveFrom, EffectiveTo, CreatedAt, UpdatedAt, DeletedAt) " +
                     "VALUES (UUID(), 'Default', '', 'Rate', 300, '2020-01-01', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), NULL)",
                     "INSERT INTO commission_entries (Id, Kind, SourceKey, GuideId, StoreId, DocumentId, DocumentNumber, DocumentTime, PostingMonth, LineNo, Sku, " +
                     "Product, Category, Quantity, CommissionableAmount, RuleId, Method, RuleValue, Commission, OriginalEntryId, Reason, CreatedAt) " +
                     // Ids ordered by month then n, as the API's version-7 ids (time-ordered) cluster a month's entries in the primary key.
                     "SELECT CONCAT(LPAD(HEX(x.n % 12), 2, '0'), LPAD(HEX(x.n), 6, '0'), '-0000-7000-8000-000000000000'), x.kind, CONCAT('bench:', x.n), CONCAT('00000000-0000-0000-0002-', LPAD(x.g, 12, '0')), " +
                     $"CONCAT('00000000-0000-0000-0001-', LPAD((x.g - 1) % {Stores} + 1, 12, '0')), IF(x.kind = 'Adjustment', NULL, UUID()), " +
                     "IF(x.kind = 'Adjustment', NULL, CONCAT('BD-', x.n DIV 5)), x.t, EXTRACT(YEAR_MONTH FROM x.t), IF(x.kind = 'Adjustment', NULL, x.n % 5 + 1), " +
                     "IF(x.kind = 'Adjustment', NULL, CONCAT('SKU-', x.n % 997)), IF(x.kind = 'Adjustment', NULL, CONCAT('商品', x.n % 997)), " +
                     "IF(x.kind = 'Adjustment', NULL, CONCAT('品类', x.n % 17)), " +
                     "CASE x.kind WHEN 'Sale' THEN 1 WHEN 'Refund' THEN -1 ELSE 0 END, " +
                     "CASE x.kind WHEN 'Sale' THEN x.amount WHEN 'Refund' THEN -x.amount ELSE 0 END, NULL, IF(x.kind = 'Adjustment', NULL, 'Rate'), " +
                     "IF(x.kind = 'Adjustment', NULL, 300), CASE x.kind WHEN 'Sale' THEN x.amount * 300 DIV 10000 WHEN 'Refund' THEN -(x.amount * 300 DIV 10000) ELSE 500 END, " +
                     "NULL, IF(x.kind = 'Adjustment', '补发提成', NULL), UTC_TIMESTAMP(6) " +
                     "FROM (SELECT seq AS n, " +
                     $"  TIMESTAMP('{FirstMonth} 00:00:00') + INTERVAL (seq % {Months}) MONTH + INTERVAL (seq * 7 % 2000000) SECOND AS t, " +
                     $"  (seq DIV {Months}) % {Guides} + 1 AS g, 1000 + seq * 31 % 50000 AS amount, " +
                     "  CASE WHEN seq % 50 = 0 THEN 'Adjustment' WHEN seq % 20 = 0 THEN 'Refund' ELSE 'Sale' END AS kind " +
                     $"  FROM seq_1_to_{Entries}) x",
                     "ANALYZE TABLE commission_entries, stores, guides",
                 })
        {
            await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 3600 };
            if (sql.StartsWith("ANALYZE", StringComparison.Ordinal)) { await using var reader = await command.ExecuteReaderAsync(); continue; }
            var rows = await command.ExecuteNonQueryAsync();
            if (sql.StartsWith("INSERT INTO commission_entries", StringComparison.Ordinal)) entries = rows;
        }
        return entries;
    }

    /// <summary>What the summary computes, by hand: one GROUP BY (store, guide) over the month with conditional sums, names joined to the groups.</summary>
    private static async Task<(long Rows, long NetCommission)> RawSummaryQueryAsync(string connectionString, int month)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT x.StoreId, x.GuideId, g.Name, s.Code, s.Name, x.SalesAmount, x.SalesCommission, x.RefundAmount, x.RefundCommission, " +
            "x.AdjustmentAmount, x.AdjustmentCommission, x.NetAmount, x.NetCommission " +
            "FROM (SELECT StoreId, GuideId, " +
            "  SUM(IF(Kind = 'Sale', CommissionableAmount, 0)) AS SalesAmount, SUM(IF(Kind = 'Sale', Commission, 0)) AS SalesCommission, " +
            "  SUM(IF(Kind = 'Refund', CommissionableAmount, 0)) AS RefundAmount, SUM(IF(Kind = 'Refund', Commission, 0)) AS RefundCommission, " +
            "  SUM(IF(Kind = 'Adjustment', CommissionableAmount, 0)) AS AdjustmentAmount, SUM(IF(Kind = 'Adjustment', Commission, 0)) AS AdjustmentCommission, " +
            "  SUM(CommissionableAmount) AS NetAmount, SUM(Commission) AS NetCommission " +
            "  FROM commission_entries WHERE PostingMonth = @month GROUP BY StoreId, GuideId) x " +
            "LEFT JOIN guides g ON g.Id = x.GuideId LEFT JOIN stores s ON s.Id = x.StoreId", connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("@month", month);
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0, total = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            total += Convert.ToInt64(reader.GetValue(12), CultureInfo.InvariantCulture);
        }
        return (rows, total);
    }

    private sealed record CsvResult(double Ms, long Bytes, long Rows, double PeakMb, double MaxRssMb, double RssBeforeMb)
    {
        public long Expected(string connectionString, int month, string? area)
        {
            using var connection = new MySqlConnection(connectionString);
            connection.Open();
            using var command = new MySqlCommand("SELECT COUNT(*) FROM commission_entries e WHERE e.PostingMonth = @month" +
                (area is null ? "" : " AND e.StoreId IN (SELECT Id FROM stores WHERE Area = @area)"), connection) { CommandTimeout = 600 };
            command.Parameters.AddWithValue("@month", month);
            command.Parameters.AddWithValue("@area", area ?? "");
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Downloads the CSV as a stream (time to the last byte, bytes, lines) while sampling the API's RSS; its peak (VmHWM) is reset first.</summary>
    private static async Task<CsvResult> CsvAsync(HttpClient http, int pid, string path)
    {
        var rssBefore = StatusKb(pid, "VmRSS");
        try { await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5"); } catch (Exception e) { Console.WriteLine($"  (cannot reset VmHWM: {e.Message})"); }
        long maxRss = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                maxRss = Math.Max(maxRss, StatusKb(pid, "VmRSS"));
                try { await Task.Delay(20, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"csv: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long bytes = 0, newlines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            newlines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        watch.Stop();
        await stop.CancelAsync();
        await sampler;
        var peak = StatusKb(pid, "VmHWM");
        return new CsvResult(watch.Elapsed.TotalMilliseconds, bytes, newlines - 1, peak / 1024.0, maxRss / 1024.0, rssBefore / 1024.0);
    }

    private static long StatusKb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    private static async Task<(long Documents, long Entries)> CountPostedAsync(string connectionString, string run)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT COUNT(DISTINCT DocumentNumber), COUNT(*) FROM commission_entries WHERE DocumentNumber LIKE @run", connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("@run", $"CB-{run}-%");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<string> HqTokenAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/api/admin/session", new { userName = "hq", password = "simulator-only" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
