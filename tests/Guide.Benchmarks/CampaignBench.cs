using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// Issue 20's campaign benchmark (--phases campaign): 100,000 members (--campaign-members), every 50th without a phone, every
/// 20th unsubscribed from SMS, member n with n % 6 SMS touches (0-5) spread over the last 30 days; the fatigue rules HQ's
/// default windows (1 a calendar day, 3 in 7 days, 8 in 30 days, across channels) without quiet hours. An SMS campaign over
/// every member: <c>POST /api/admin/campaigns/{id}/estimate</c> (the API process) against one hand-written anti-join computing
/// the reachable count, three times each, interleaved (medians, ratio; aim: within 2x; the counts must be equal); then
/// <c>POST .../send</c> (the audience into the outbox) and the drain (the SendMessages job every second, the logging SMS
/// provider as the channel) until nothing is queued: messages per second, and the API's peak working set over the send and
/// drain (VmHWM after a reset; aim: under 300 MB). Checks the drain sent exactly the estimate's reachable count.
/// </summary>
internal static class CampaignBench
{
    private const string NoQuietHours =
        "{\"windows\":[{\"channel\":null,\"max\":1,\"days\":1,\"kind\":\"calendar\"},{\"channel\":null,\"max\":3,\"days\":7,\"kind\":\"rolling\"}," +
        "{\"channel\":null,\"max\":8,\"days\":30,\"kind\":\"rolling\"}],\"quietHours\":null,\"holidays\":[],\"whitelist\":[],\"capAccountMessages\":false}";

    public static async Task<int> RunAsync(string connectionString, string apiDll, Dictionary<string, string> environment, int members, int drainSeconds)
    {
        Console.WriteLine($"campaign: {members:N0} members with 0-5 SMS touches each over 30 days, every 20th unsubscribed, every 50th without a phone");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(connectionString, members);
        Console.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:0.0} s ({await ScalarAsync(connectionString, "SELECT COUNT(*) FROM touches"):N0} touches)");

        var api = new Dictionary<string, string>(environment)
        {
            ["Jobs__Enabled"] = "true",
            ["Jobs__SendMessages__Cron"] = "0/1 * * * * ?",
        };
        await using var process = await GuideProcess.StartAsync(apiDll, api);
        using var http = ChargeClient.Http(process.BaseAddress);
        http.Timeout = TimeSpan.FromMinutes(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await HqTokenAsync(http));

        using var created = await http.PostAsJsonAsync("/api/admin/campaigns", new { name = "全员短信", audience = new { }, channel = "sms", text = "春季上新，回T退订", priority = 1 });
        var createdBody = await created.Content.ReadAsStringAsync();
        if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"create: {(int)created.StatusCode} {createdBody}");
        var id = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetGuid();

        // The estimate (through the API) and the hand-written anti-join, interleaved, three times each.
        var estimateMs = new List<double>();
        var sqlMs = new List<double>();
        JsonElement estimate = default;
        long bySql = 0;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsync($"/api/admin/campaigns/{id}/estimate", null);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"estimate: {(int)response.StatusCode} {body}");
            estimateMs.Add(watch.Elapsed.TotalMilliseconds);
            estimate = JsonDocument.Parse(body).RootElement.Clone();
            watch.Restart();
            bySql = await AntiJoinAsync(connectionString);
            sqlMs.Add(watch.Elapsed.TotalMilliseconds);
        }
        var sms = estimate.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "sms");
        var reachable = sms.GetProperty("reachable").GetInt32();
        var excluded = string.Join(", ", sms.GetProperty("excluded").EnumerateArray().Select(e =>
            $"{e.GetProperty("reason").GetString()}{(e.GetProperty("window").ValueKind == JsonValueKind.String ? " (" + e.GetProperty("window").GetString() + ")" : "")} " +
            $"{e.GetProperty("members").GetInt32():N0}"));

        Console.WriteLine($"  estimate (POST .../estimate): {Median(estimateMs):0} ms median ({string.Join(", ", estimateMs.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))}); " +
                          $"hand-written anti-join {Median(sqlMs):0} ms ({string.Join(", ", sqlMs.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))}); " +
                          $"ratio {Median(estimateMs) / Median(sqlMs):0.00}x; sms reachable {reachable:N0} / anti-join {bySql:N0}; excluded: {excluded}");

        // The send and the drain, with the API's peak working set reset first.
        try { await File.WriteAllTextAsync($"/proc/{process.ProcessId}/clear_refs", "5"); } catch (Exception e) { Console.WriteLine($"  (cannot reset VmHWM: {e.Message})"); }
        var rssBefore = StatusKb(process.ProcessId, "VmRSS");
        var sendWatch = Stopwatch.StartNew();
        using (var send = await http.PostAsync($"/api/admin/campaigns/{id}/send", null))
        {
            var body = await send.Content.ReadAsStringAsync();
            if (!send.IsSuccessStatusCode) throw new InvalidOperationException($"send: {(int)send.StatusCode} {body}");
        }
        var sendSeconds = sendWatch.Elapsed.TotalSeconds;
        var queued = await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM outbound_messages WHERE CampaignId = '{id}'");
        // Every member: the seeded ones and any the API's start-up made (the simulator's own).
        var everyone = await ScalarAsync(connectionString, "SELECT COUNT(*) FROM members");
        var drainWatch = Stopwatch.StartNew();
        // The drain is timed for at most drainSeconds (--campaign-drain-seconds): its rate, not necessarily its end.
        var deadline = DateTime.UtcNow.AddSeconds(drainSeconds);
        long open;
        while ((open = await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM outbound_messages WHERE CampaignId = '{id}' AND Status IN ('Queued', 'Sending')")) > 0
               && DateTime.UtcNow < deadline)
            await Task.Delay(500);
        var drained = drainWatch.Elapsed.TotalSeconds;
        var gated = queued - open;
        var peakMb = StatusKb(process.ProcessId, "VmHWM") / 1024.0;

        using var result = await http.GetAsync($"/api/admin/campaigns/{id}");
        var results = JsonDocument.Parse(await result.Content.ReadAsStringAsync()).RootElement.GetProperty("results");
        var sent = results.GetProperty("sent").GetInt32();
        var blocked = results.GetProperty("blocked").GetInt32();

        Console.WriteLine();
        Console.WriteLine($"campaign benchmark (machine: {Environment.ProcessorCount} cores, shared by MariaDB, the API and this process)");
        Console.WriteLine($"  {"estimate (POST .../estimate, median of 3)",-50} {Median(estimateMs),8:0} ms  ({string.Join(", ", estimateMs.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"  {"hand-written anti-join (median of 3)",-50} {Median(sqlMs),8:0} ms  ({string.Join(", ", sqlMs.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"  {"  ratio estimate / SQL",-50} {Median(estimateMs) / Median(sqlMs),8:0.00}x (aim: within 2x; the estimate also counts every reason on 3 channels)");
        Console.WriteLine($"  {"  sms reachable: estimate / anti-join",-50} {reachable,8:N0} / {bySql:N0}; excluded: {excluded}");
        Console.WriteLine($"  {"send (audience into the outbox)",-50} {sendSeconds,8:0.0} s  ({queued:N0} messages, {queued / sendSeconds:N0}/s)");
        Console.WriteLine($"  {"drain (SendMessages every 1 s, logging SMS)",-50} {drained,8:0.0} s  ({gated / drained:N0} messages/s gated; " +
                          $"{sent / drained:N0}/s sent; {sent:N0} sent, {blocked:N0} blocked{(open > 0 ? $", {open:N0} still queued when the timing stopped" : "")})");
        Console.WriteLine($"  {"  the API's peak working set (send + drain)",-50} {peakMb,8:0} MB (aim: under 300 MB; RSS before {rssBefore / 1024.0:0} MB)");
        // A drain cut short checks what it did: never more sent than the estimate said were reachable.
        var ok = reachable == bySql && queued == everyone && (open == 0 ? sent == reachable : sent <= reachable);
        Console.WriteLine(ok
            ? $"  checked: the estimate's reachable = the anti-join's ({reachable:N0}); " +
              (open == 0 ? $"= the drain's sent ({sent:N0}); " : $"the drain, cut short, sent {sent:N0} of them; ") + $"every member queued once ({queued:N0})"
            : $"  CHECK FAILED: estimate {reachable:N0}, anti-join {bySql:N0}, sent {sent:N0}, queued {queued:N0} of {everyone:N0}, open {open:N0}");
        return ok ? 0 : 1;
    }

    /// <summary>The reachable SMS members by hand: a phone, not unsubscribed, and under each of the three windows (no whitelist).</summary>
    private static Task<long> AntiJoinAsync(string connectionString)
    {
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now.AddHours(8));
        string At(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return ScalarAsync(connectionString,
            "SELECT COUNT(*) FROM members m WHERE m.Phone IS NOT NULL AND m.Phone <> '' " +
            "AND NOT EXISTS (SELECT 1 FROM member_message_consents c WHERE c.MemberId = m.Id AND c.SmsMarketing = 0) " +
            $"AND NOT EXISTS (SELECT 1 FROM touches t WHERE t.MemberId = m.Id AND t.Day = '{today:yyyy-MM-dd}') " +
            $"AND (SELECT COUNT(*) FROM touches t WHERE t.MemberId = m.Id AND t.At > '{At(now.AddDays(-7))}' AND t.At <= '{At(now)}') < 3 " +
            $"AND (SELECT COUNT(*) FROM touches t WHERE t.MemberId = m.Id AND t.At > '{At(now.AddDays(-30))}' AND t.At <= '{At(now)}') < 8");
    }

    private static async Task SeedAsync(string connectionString, int members)
    {
        const string member = "CONCAT('00000000-0000-0000-0051-', LPAD({0}, 12, '0'))";
        string Member(string n) => string.Format(CultureInfo.InvariantCulture, member, n);
        foreach (var sql in new[]
                 {
                     "INSERT INTO members (Id, OpenId, UnionId, Phone, Nickname, Gender, Birthday, Level, LevelVersion, ExclusiveGuideId, StoreId, RegisteredAt, GuideContactConsent) " +
                     $"SELECT {Member("seq")}, CONCAT('cb-m-', seq), NULL, IF(seq % 50 = 0, NULL, CONCAT('137', LPAD(seq, 8, '0'))), CONCAT('会员', seq), 'Unknown', " +
                     $"NULL, 0, 0, NULL, NULL, UTC_TIMESTAMP(6) - INTERVAL 400 DAY, 1 FROM seq_1_to_{members}",
                     "INSERT INTO member_message_consents (MemberId, SubscribeMarketing, WeComMarketing, SmsMarketing, UpdatedAt, Version) " +
                     $"SELECT {Member("seq")}, 1, 1, 0, UTC_TIMESTAMP(6), 0 FROM seq_1_to_{members} WHERE seq % 20 = 0",
                     // Member n: n % 6 touches, the k-th (n * 7 + k * 131) % 720 hours and a minute ago (0 to 30 days).
                     "INSERT INTO touches (Id, MemberId, Channel, MessageId, CampaignId, At, Day) " +
                     "SELECT UUID(), x.MemberId, 'Sms', UUID(), NULL, x.At, DATE(x.At + INTERVAL 8 HOUR) FROM (" +
                     $"SELECT {Member("s.seq")} AS MemberId, UTC_TIMESTAMP(6) - INTERVAL ((s.seq * 7 + k.seq * 131) % 720) HOUR - INTERVAL 1 MINUTE AS At " +
                     $"FROM seq_1_to_{members} s JOIN seq_1_to_5 k ON k.seq <= s.seq % 6) x",
                     $"UPDATE fatigue_settings SET Json = '{NoQuietHours}', Version = Version + 1",
                     "ANALYZE TABLE members, touches, member_message_consents",
                 })
        {
            await using var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 3600 };
            if (sql.StartsWith("ANALYZE", StringComparison.Ordinal)) { await using var reader = await command.ExecuteReaderAsync(); continue; }
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> HqTokenAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/api/admin/session", new { userName = "hq", password = "simulator-only" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 3600 };
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
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

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
