using System.Diagnostics;
using System.Text;
using Guide.Weixin.Fake;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// Issue 17's benchmark: WeCom callbacks for 2,000 customers (one friend add each, to one of 20 guides; 1 to 5 group
/// joins each among 40 customer groups), 8,000 distinct signed events plus 2,000 exact re-sends of some of them (WeCom's
/// retries), 10,000 POST /webhooks/wecom in shuffled order from <c>concurrency</c> senders against the API process with
/// its jobs on (ProcessWeComEvents every 2 s unless <c>--api-env Jobs__ProcessWeComEvents__Cron=...</c> says otherwise)
/// and the fake WeChat/WeCom server in this process. Prints answers per second and the answer's p50/p95/p99/max, then
/// the time from the last answer until every award is applied (polled every 200 ms), and checks every count against
/// the scenario: events stored, friend and join awards, points entries, and each member's balance.
/// </summary>
internal static class WeComCallbacks
{
    private const int Customers = 2_000;
    private const int Guides = 20;
    private const int Groups = 40;
    private const int Duplicates = 2_000;
    private const long FriendPoints = 10;
    private const long JoinPoints = 5;

    private sealed record Event(int Index, string Xml, string? ChatId, FakeGroupMember? Joined)
    {
        public int Added;
        public FakeWeComCallback? Callback;
    }

    public static async Task<int> RunAsync(string connectionString, string apiDll, Dictionary<string, string> environment, int concurrency,
        IReadOnlyDictionary<string, string> apiOverrides, TimeSpan awardTimeout)
    {
        await using var fake = await FakeWeixinServer.StartAsync();
        var random = new Random(17);

        // The scenario, and from it (never from the code's output) what the database must hold at the end.
        var eventBase = DateTimeOffset.UtcNow.AddHours(-3);
        var unionIds = Enumerable.Range(0, Customers).Select(i => $"bench-union-{i:D5}").ToArray();
        var externalIds = Enumerable.Range(0, Customers).Select(i => $"wmbench{i:D5}").ToArray();
        var guides = Enumerable.Range(0, Guides).Select(i => $"bench-guide-{i:D2}").ToArray();
        var chats = Enumerable.Range(0, Groups).Select(i => $"wrbench{i:D3}").ToArray();
        var owners = chats.Select((_, i) => guides[i % Guides]).ToArray();
        var events = new List<Event>();
        var joinsOf = new int[Customers];
        var second = 0;
        for (var c = 0; c < Customers; c++)
        {
            fake.AddExternalContact(new FakeExternalContact(externalIds[c], $"Customer {c}", UnionId: unionIds[c]));
            events.Add(new Event(events.Count, fake.WeComExternalContactEventXml("add_external_contact", guides[random.Next(Guides)], externalIds[c],
                createTime: eventBase.AddSeconds(second++)), null, null));
            // 1 to 5 distinct groups (3 on average: 6,000 joins).
            joinsOf[c] = c % 5 + 1;
            foreach (var g in Enumerable.Range(0, Groups).OrderBy(_ => random.Next()).Take(joinsOf[c]))
            {
                var at = eventBase.AddSeconds(second++);
                events.Add(new Event(events.Count, fake.WeComExternalChatEventXml("update", chats[g], "add_member", joinScene: 1,
                    members: [externalIds[c]], createTime: at), chats[g], new FakeGroupMember(externalIds[c], 2, at, 1, UnionId: unionIds[c])));
            }
        }
        var distinct = events.Count;
        var expectedJoins = joinsOf.Sum();
        var expectedBalance = unionIds.Select((u, i) => (u, FriendPoints + JoinPoints * joinsOf[i])).ToDictionary(x => x.u, x => x.Item2);

        // The groups as WeCom holds them: the owner from the start; a customer from the moment their join's callback is sent.
        var members = chats.Select((chat, i) => new List<FakeGroupMember> { new(owners[i], 1, eventBase.AddDays(-1), 1) }).ToArray();
        for (var g = 0; g < Groups; g++) fake.AddGroupChat(new FakeGroupChat(chats[g], $"Group {g}", owners[g]) { Members = members[g].ToArray() });

        await SeedAsync(connectionString, unionIds);

        var api = new Dictionary<string, string>(environment)
        {
            ["Jobs__Enabled"] = "true",
            // The simulator would start its own fake WeChat in the API and point Weixin:* at it (its configuration is added
            // last), so groupchat/get and externalcontact/get would ask a fake that knows none of this scenario's groups.
            ["Simulator__Enabled"] = "false",
            ["Jobs__ProcessWeComEvents__Cron"] = "0/2 * * * * ?",
        };
        foreach (var (key, value) in fake.WeixinConfiguration()) api[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        foreach (var (key, value) in apiOverrides) api[key] = value;
        Console.WriteLine();
        Console.WriteLine($"WeCom callbacks: {Customers:N0} customers, {Guides} guides, {Groups} groups; {distinct:N0} distinct events " +
                          $"({Customers:N0} friend adds, {expectedJoins:N0} group joins) + {Duplicates:N0} re-sends, {concurrency} senders; " +
                          $"job cron {api["Jobs__ProcessWeComEvents__Cron"]}");
        await using var process = await GuideProcess.StartAsync(apiDll, api);
        using var http = ChargeClient.Http(process.BaseAddress);

        // 10,000 posts: each distinct event once, 2,000 of them twice (the same signed callback), shuffled.
        var posts = events.Concat(events.OrderBy(_ => random.Next()).Take(Duplicates)).OrderBy(_ => random.Next()).ToArray();
        // Signed now (the API refuses a timestamp more than 5 minutes off), before the clock starts.
        foreach (var e in events) e.Callback = fake.CreateWeComCallback(e.Xml);
        var groupLocks = chats.Select(_ => new object()).ToArray();

        // A short warm-up of the endpoint (connections, first requests) with callbacks the API refuses unread (bad signature).
        for (var i = 0; i < 50; i++)
        {
            using var warm = new StringContent("<xml><Encrypt><![CDATA[x]]></Encrypt></xml>", Encoding.UTF8, "text/xml");
            using var _ = await http.PostAsync("/webhooks/wecom?msg_signature=x&timestamp=0&nonce=1", warm);
        }

        var latencies = new double[posts.Length];
        var statuses = new int[posts.Length];
        var wrongBodies = 0;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < posts.Length)
            {
                var e = posts[i];
                if (e.Joined is { } joined && Interlocked.Exchange(ref e.Added, 1) == 0)
                {
                    var g = Array.IndexOf(chats, e.ChatId);
                    lock (groupLocks[g])
                    {
                        members[g].Add(joined);
                        fake.AddGroupChat(new FakeGroupChat(chats[g], $"Group {g}", owners[g]) { Members = members[g].ToArray() });
                    }
                }
                var before = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new StringContent(e.Callback!.Body, Encoding.UTF8, "text/xml");
                    using var response = await http.PostAsync(e.Callback.PathAndQuery("/webhooks/wecom"), content);
                    var body = await response.Content.ReadAsStringAsync();
                    statuses[i] = (int)response.StatusCode;
                    if (statuses[i] == 200 && body != "success") Interlocked.Increment(ref wrongBodies);
                }
                catch (HttpRequestException) { statuses[i] = -1; }
                catch (TaskCanceledException) { statuses[i] = -2; }
                latencies[i] = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
            }
        })));
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var lastAnswer = Stopwatch.GetTimestamp();

        // Until every award is applied and the job has nothing left: no unprocessed event, no marked group, no pending action.
        var expectedAwards = Customers + expectedJoins;
        Progress progress;
        var trace = new List<string>();
        var lastTrace = 0.0;
        Progress? previous = null;
        var changedAt = 0.0;
        while (true)
        {
            progress = await ProgressAsync(connectionString);
            var elapsed = Stopwatch.GetElapsedTime(lastAnswer).TotalSeconds;
            if (progress.Awarded == expectedAwards && progress is { Pending: 0, Unprocessed: 0, Marked: 0 }) break;
            if (progress != previous) (previous, changedAt) = (progress, elapsed);
            // Stalled: nothing left for the job to process or reconcile, and nothing changed for a minute (30 job runs at 2 s).
            if (progress is { Unprocessed: 0, Marked: 0 } && elapsed - changedAt > 60)
            {
                trace.Add($"    +{elapsed,5:0.0} s  stalled (no change for 60 s): {progress}");
                break;
            }
            if (elapsed >= lastTrace + 5)
            {
                lastTrace = elapsed;
                trace.Add($"    +{elapsed,5:0.0} s  {progress}");
            }
            if (elapsed > awardTimeout.TotalSeconds) break;
            await Task.Delay(200);
        }
        var awardSeconds = Stopwatch.GetElapsedTime(lastAnswer).TotalSeconds;
        var allAwarded = progress.Awarded == expectedAwards && progress is { Pending: 0, Unprocessed: 0, Marked: 0 };

        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => Percentiles.Of(sorted, p);
        var non200 = statuses.Count(s => s != 200);
        var counts = await CountsAsync(connectionString, expectedBalance);
        Console.WriteLine($"  answers: {posts.Length:N0} in {sendSeconds:0.0} s = {posts.Length / sendSeconds:0.0} answers/s   p50 {Percentile(0.50):0.0} ms   " +
                          $"p95 {Percentile(0.95):0.0} ms   p99 {Percentile(0.99):0.0} ms   max {sorted[^1]:0.0} ms   (aim: p95 under 50 ms)");
        Console.WriteLine(allAwarded
            ? $"  every award applied {awardSeconds:0.0} s after the last answer"
            : $"  NOT every award applied {awardSeconds:0.0} s after the last answer: {progress}");
        foreach (var line in trace) Console.WriteLine(line);
        var rows = new (string Name, long Expected, long Actual)[]
        {
            ("non-200 answers", 0, non200),
            ("200 answers not 'success'", 0, wrongBodies),
            ("wecom_events rows (distinct events)", distinct, counts.Events),
            ("friend awards (AddGuideFriend Awarded)", Customers, counts.FriendAwards),
            ("join awards (JoinCustomerGroup Awarded)", expectedJoins, counts.JoinAwards),
            ("group actions not Awarded", 0, counts.NotAwarded),
            ("points_entries of Kind GroupAction", expectedAwards, counts.Entries),
            ("points awarded in all (sum of balances)", expectedBalance.Values.Sum(), counts.BalanceSum),
            ("members whose balance is not the scenario's", 0, counts.WrongBalances),
        };
        Console.WriteLine($"  {"count",-46} {"expected",9} {"actual",9}");
        foreach (var (name, expected, actual) in rows)
            Console.WriteLine($"  {name,-46} {expected,9:N0} {actual,9:N0}{(expected == actual ? "" : "   WRONG")}");
        var ok = allAwarded && rows.All(r => r.Expected == r.Actual);
        if (!ok) Console.WriteLine($"  stuck: {await StuckAsync(connectionString)}");
        Console.WriteLine($"  job runs: {await JobRunsAsync(connectionString)}");
        Console.WriteLine(ok ? "  checked: every count as the scenario expects" : "  CHECK FAILED");
        return ok ? 0 : 1;
    }

    /// <summary>The members, straight into <c>members</c> (each with the unionid WeCom gives their customer), and the two rules (no caps).</summary>
    private static async Task SeedAsync(string connectionString, IReadOnlyList<string> unionIds)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var chunk in unionIds.Chunk(500))
        {
            var sql = new StringBuilder("INSERT INTO members (Id, OpenId, UnionId, Gender, Level, LevelVersion, RegisteredAt) VALUES ");
            sql.AppendJoin(", ", chunk.Select(u => $"(UUID(), 'bench-open-{u}', '{u}', 'Unknown', 0, 0, UTC_TIMESTAMP(6))"));
            await using var command = new MySqlCommand(sql.ToString(), connection);
            await command.ExecuteNonQueryAsync();
        }
        await using var rules = new MySqlCommand(
            "INSERT INTO group_action_rules (Id, Kind, LiveKind, Name, Points, ValidityDays, DailyCap, LifetimeCap, Paused, TakeBackWithinDays, CreatedAt, UpdatedAt, DeletedAt) VALUES " +
            $"(UUID(), 'AddGuideFriend', 'AddGuideFriend', 'Bench friend', {FriendPoints}, NULL, NULL, NULL, 0, NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), NULL), " +
            $"(UUID(), 'JoinCustomerGroup', 'JoinCustomerGroup', 'Bench group join', {JoinPoints}, NULL, NULL, NULL, 0, NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), NULL)",
            connection);
        await rules.ExecuteNonQueryAsync();
    }

    private sealed record Progress(long Events, long Unprocessed, long Marked, long Actions, long Pending, long Awarded)
    {
        public override string ToString() =>
            $"events {Events:N0} ({Unprocessed:N0} unprocessed), groups marked {Marked}, actions {Actions:N0} ({Pending:N0} pending, {Awarded:N0} awarded)";
    }

    private static async Task<Progress> ProgressAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT (SELECT COUNT(*) FROM wecom_events), (SELECT COUNT(*) FROM wecom_events WHERE ProcessedAt IS NULL), " +
            "(SELECT COUNT(*) FROM wecom_customer_groups WHERE NeedsReconcile), (SELECT COUNT(*) FROM group_actions), " +
            "(SELECT COUNT(*) FROM group_actions WHERE Status = 'Pending'), (SELECT COUNT(*) FROM group_actions WHERE Status = 'Awarded')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Progress(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    private sealed record Counts(long Events, long FriendAwards, long JoinAwards, long NotAwarded, long Entries, long BalanceSum, long WrongBalances);

    private static async Task<Counts> CountsAsync(string connectionString, IReadOnlyDictionary<string, long> expectedBalance)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<long> Scalar(string sql)
        {
            await using var command = new MySqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        var balances = new Dictionary<string, long>();
        await using (var command = new MySqlCommand(
                         "SELECT m.UnionId, COALESCE(a.Balance, 0) FROM members m LEFT JOIN points_accounts a ON a.MemberId = m.Id WHERE m.UnionId LIKE 'bench-union-%'",
                         connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) balances[reader.GetString(0)] = reader.GetInt64(1);
        return new Counts(
            await Scalar("SELECT COUNT(*) FROM wecom_events"),
            await Scalar("SELECT COUNT(*) FROM group_actions WHERE Kind = 'AddGuideFriend' AND Status = 'Awarded'"),
            await Scalar("SELECT COUNT(*) FROM group_actions WHERE Kind = 'JoinCustomerGroup' AND Status = 'Awarded'"),
            await Scalar("SELECT COUNT(*) FROM group_actions WHERE Status <> 'Awarded'"),
            await Scalar("SELECT COUNT(*) FROM points_entries WHERE Kind = 'GroupAction'"),
            balances.Values.Sum(),
            expectedBalance.Count(e => balances.GetValueOrDefault(e.Key) != e.Value));
    }

    /// <summary>What is left pending, and why (for a failed check).</summary>
    private static async Task<string> StuckAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT a.Kind, a.UnionId IS NULL, c.ExternalUserId IS NOT NULL, c.UnionId IS NOT NULL, COUNT(*) FROM group_actions a " +
            "LEFT JOIN wecom_customers c ON c.ExternalUserId = a.ExternalUserId WHERE a.Status = 'Pending' GROUP BY 1, 2, 3, 4", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await reader.ReadAsync())
            parts.Add($"{reader.GetInt64(4):N0} pending {reader.GetString(0)} (action unionid {(reader.GetBoolean(1) ? "null" : "set")}, " +
                      $"wecom_customers row {(reader.GetBoolean(2) ? (reader.GetBoolean(3) ? "with unionid" : "without unionid") : "none")})");
        return parts.Count == 0 ? "no pending action" : string.Join("; ", parts);
    }

    private static async Task<string> JobRunsAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT COUNT(*), SUM(FinishedAt IS NULL), AVG(TIMESTAMPDIFF(MICROSECOND, StartedAt, FinishedAt)) / 1000, " +
            "MAX(TIMESTAMPDIFF(MICROSECOND, StartedAt, FinishedAt)) / 1000, SUM(Outcome LIKE 'failed%') FROM job_runs WHERE JobName = 'ProcessWeComEvents'",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        double Ms(int i) => reader.IsDBNull(i) ? 0 : Convert.ToDouble(reader.GetValue(i));
        var summary = $"ProcessWeComEvents ran {reader.GetInt64(0)} time(s) ({Ms(1):0} without a finish recorded), {Ms(2):0} ms on average " +
                      $"and {Ms(3):0} ms at most of those finished, {Ms(4):0} failed";
        await reader.CloseAsync();
        // Every run that did something (or left no outcome), in order.
        await using var busy = new MySqlCommand(
            "SELECT StartedAt, TIMESTAMPDIFF(MICROSECOND, StartedAt, FinishedAt) / 1000, Outcome FROM job_runs WHERE JobName = 'ProcessWeComEvents' " +
            "AND (Outcome IS NULL OR Outcome NOT LIKE 'processed 0 %reconciled 0 %looked up 0 %decided 0 %') ORDER BY StartedAt", connection);
        await using var runs = await busy.ExecuteReaderAsync();
        var lines = new StringBuilder(summary);
        while (await runs.ReadAsync())
            lines.Append($"\n    {runs.GetDateTime(0):HH:mm:ss.f} {(runs.IsDBNull(1) ? "(no finish)" : $"{Convert.ToDouble(runs.GetValue(1)):0} ms"),12}  " +
                         $"{(runs.IsDBNull(2) ? "(no outcome recorded)" : runs.GetString(2))}");
        return lines.ToString();
    }
}
