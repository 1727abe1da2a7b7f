using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// Issue 19's task-list benchmark (--phases care-tasks): 16 guides of one store with 2,000 open care tasks each (their own
/// exclusive members, every 50th task urged), seeded by set-based SQL; then <c>concurrency</c> guides at once, each with
/// their own token, calling <c>GET /api/guide/care-tasks</c> (the first page: urged first, then due soonest, with the
/// member snippet and the filled script) for <c>seconds</c>. Prints p50/p95/p99 (aim: p95 under 50 ms on this machine).
/// </summary>
internal static class CareTaskListBench
{
    private const int Guides = 16, TasksPerGuide = 2_000;

    public static async Task<int> RunAsync(string connectionString, string apiDll, Dictionary<string, string> environment, int concurrency, int seconds, int warmUpSeconds)
    {
        Console.WriteLine($"care tasks: {Guides} guides x {TasksPerGuide:N0} open tasks, {concurrency} concurrent guides");
        await SeedAsync(connectionString);
        await using var api = await GuideProcess.StartAsync(apiDll, environment);
        using var http = ChargeClient.Http(api.BaseAddress);
        var tokens = new List<string>();
        for (var g = 1; g <= Guides; g++)
        {
            using var response = await http.PostAsJsonAsync("/api/guide/session", new { code = $"ct-g-{g}" });
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"guide session: {(int)response.StatusCode} {body}");
            tokens.Add(JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!);
        }

        // One check of what a guide sees before the clock runs: a full page, urged first.
        using (var first = new HttpRequestMessage(HttpMethod.Get, "/api/guide/care-tasks?pageSize=20"))
        {
            first.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[0]);
            using var response = await http.SendAsync(first);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"care tasks: {(int)response.StatusCode} {body}");
            var page = JsonDocument.Parse(body).RootElement;
            Console.WriteLine($"  first page: {page.GetProperty("items").GetArrayLength()} items of {page.GetProperty("total").GetInt32():N0}");
        }

        // CPU per page over the measured window (after the warm-up): the API, MariaDB and this load generator, which share the cores.
        var database = await DatabaseProcess.FindAsync(connectionString);
        var (warmUp, duration) = (TimeSpan.FromSeconds(warmUpSeconds), TimeSpan.FromSeconds(seconds));
        var apiCpu = CpuWindow.MeasureAsync(() => api.CpuTime, warmUp, duration);
        var dbCpu = CpuWindow.MeasureAsync(database.CpuTime, warmUp, duration);
        var clientCpu = CpuWindow.MeasureAsync(() => Process.GetCurrentProcess().TotalProcessorTime, warmUp, duration);
        var list = await ClosedLoop.RunAsync("GET /api/guide/care-tasks", concurrency, warmUp, duration,
            async (worker, _) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/guide/care-tasks?pageSize=20");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[worker % tokens.Count]);
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                return response.StatusCode == HttpStatusCode.OK ? Outcome.Succeeded : (int)response.StatusCode < 500 ? Outcome.Refused : Outcome.Error;
            });
        var pages = Math.Max(1, list.Attempts);
        list = list with { ApiCpuMsPerOp = (await apiCpu).TotalMilliseconds / pages, DbCpuMsPerOp = (await dbCpu).TotalMilliseconds / pages };
        var clientCpuMs = (await clientCpu).TotalMilliseconds / pages;
        Console.WriteLine();
        Console.WriteLine($"care task list benchmark (machine: {Environment.ProcessorCount} cores, shared by MariaDB, the API and the load generator)");
        Console.WriteLine($"  {list}");
        Console.WriteLine($"  load generator CPU {clientCpuMs:0.00} ms/page; together {list.ApiCpuMsPerOp + list.DbCpuMsPerOp + clientCpuMs:0.00} ms/page");
        Console.WriteLine($"  p95 {list.P95Ms:0.0} ms (aim < 50 ms): {(list.P95Ms < 50 ? "met" : "NOT met")}");
        return list.Errors == 0 && list.Refused == 0 ? 0 : 1;
    }

    private static async Task SeedAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        const string store = "00000000-0000-0000-0031-000000000001", plan = "00000000-0000-0000-0035-000000000001";
        var members = Guides * TasksPerGuide;
        // Member n belongs to guide (n - 1) % 16 + 1; its task is due in n % 30 days, every 50th urged.
        foreach (var sql in new[]
                 {
                     $"INSERT INTO stores (Id, Code, Name, Area, Active, CreatedAt) VALUES ('{store}', 'CT0001', '关怀门店', 'Area-CT', 1, UTC_TIMESTAMP(6))",
                     "INSERT INTO guides (Id, WeComUserId, Name, StoreId, Role, Mobile, Active, CreatedAt, managed_areas, SceneCode) " +
                     $"SELECT CONCAT('00000000-0000-0000-0032-', LPAD(seq, 12, '0')), CONCAT('ct-g-', seq), CONCAT('导购', seq), '{store}', 'Guide', NULL, 1, " +
                     $"UTC_TIMESTAMP(6), '', NULL FROM seq_1_to_{Guides}",
                     "INSERT INTO members (Id, OpenId, UnionId, Phone, Nickname, Gender, Birthday, Level, LevelVersion, ExclusiveGuideId, StoreId, RegisteredAt, GuideContactConsent) " +
                     "SELECT CONCAT('00000000-0000-0000-0033-', LPAD(seq, 12, '0')), CONCAT('ct-m-', seq), NULL, CONCAT('139', LPAD(seq, 8, '0')), CONCAT('会员', seq), 'Unknown', " +
                     "DATE('1990-01-01') + INTERVAL (seq % 365) DAY, 0, 0, " +
                     $"CONCAT('00000000-0000-0000-0032-', LPAD((seq - 1) % {Guides} + 1, 12, '0')), '{store}', UTC_TIMESTAMP(6) - INTERVAL 400 DAY, 1 FROM seq_1_to_{members}",
                     "INSERT INTO care_plans (Id, Name, Owner, OwnerGuideId, TargetKind, TargetDays, TargetAmount, TargetCount, level_filter, store_filter, Schedule, StartsOn, " +
                     "EndsOn, MonthDay, IssueTime, DeadlineDays, Script, GiftKind, GiftReference, GiftPoints, Channel, Paused, CreatedAt, UpdatedAt, DeletedAt, LastIssuedPeriod) " +
                     $"VALUES ('{plan}', '生日关怀', 'Hq', NULL, 'BirthdayThisMonth', NULL, NULL, NULL, '', '', 'Monthly', CURDATE(), NULL, 1, '09:00:00', 30, " +
                     "'{name}您好，您的{level}会员积分{points}，生日{birthday}快乐！', NULL, NULL, NULL, 'WeComChat', 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), NULL, NULL)",
                     "INSERT INTO care_tasks (Id, PlanId, MemberId, Period, GuideId, StoreId, Status, IssuedAt, DueAt, UrgedAt, UrgeCount, UrgedBy, ClosedAt, Outcome, " +
                     "CompletedChannel, Note, Version) " +
                     $"SELECT CONCAT('00000000-0000-0000-0034-', LPAD(seq, 12, '0')), '{plan}', CONCAT('00000000-0000-0000-0033-', LPAD(seq, 12, '0')), 'once', " +
                     $"CONCAT('00000000-0000-0000-0032-', LPAD((seq - 1) % {Guides} + 1, 12, '0')), '{store}', 'Pending', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, " +
                     "UTC_TIMESTAMP(6) + INTERVAL (1 + seq % 30) DAY, IF(seq % 50 = 0, UTC_TIMESTAMP(6) - INTERVAL (seq % 7) HOUR, NULL), IF(seq % 50 = 0, 1, 0), NULL, " +
                     $"NULL, NULL, NULL, NULL, 0 FROM seq_1_to_{members}",
                     "ANALYZE TABLE care_tasks, members, guides",
                 })
        {
            await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 3600 };
            if (sql.StartsWith("ANALYZE", StringComparison.Ordinal)) { await using var reader = await command.ExecuteReaderAsync(); continue; }
            await command.ExecuteNonQueryAsync();
        }
    }
}
