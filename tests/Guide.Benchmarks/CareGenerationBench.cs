using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// Issue 19's generation benchmark (--phases care): 1,000,000 members (--care-members) across 500 stores (4 guides each, the first the
/// store's default guide), birthdays spread over the year, 80% with an exclusive guide, ~3% without consent, every 25th
/// without a birthday; one HQ plan "birthday this month", monthly, whose period is due now. The job's run (the API's
/// <c>generate-care-tasks</c> command, in its own process, which reports its peak working set) against one hand-written
/// <c>INSERT ... SELECT</c> of the same selection and assignment for a second, identical plan (paused, so the job leaves it
/// alone), once before the job and once after it. Prints the times, the ratio (aim: within 2x), the job's peak working set (aim: under 300 MB), checks both
/// sides made the same tasks, then runs the job again (nothing to issue) and once more with the plan's finished period
/// cleared (as a crash before it was recorded would leave it: every page walked, every task found there).
/// </summary>
internal static class CareGenerationBench
{
    private const int Stores = 500, GuidesPerStore = 4, Areas = 20;
    private const string JobPlan = "00000000-0000-0000-0045-000000000001", SqlPlan = "00000000-0000-0000-0045-000000000002",
        SqlPlanAfter = "00000000-0000-0000-0045-000000000003";

    public static async Task<int> RunAsync(string connectionString, string apiDll, Dictionary<string, string> environment, int members)
    {
        // The period: yesterday (brand time) at 09:00, so the run's instant is after the issue time and before the deadline.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(environment.GetValueOrDefault("Brand__TimeZone", "Asia/Shanghai"));
        var now = DateTimeOffset.UtcNow;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).AddDays(-1);
        const int deadlineDays = 7;
        var issuedAt = BrandInstant(day, new TimeOnly(9, 0), zone);
        var dueAt = BrandInstant(day.AddDays(deadlineDays + 1), TimeOnly.MinValue, zone);
        var period = day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Console.WriteLine($"care generation: {members:N0} members, {Stores} stores x {GuidesPerStore} guides; plan 'birthday this month', " +
                          $"monthly on day {day.Day} at 09:00, period {period}, due {dueAt:u}");

        var seeding = Stopwatch.StartNew();
        await SeedAsync(connectionString, members, day, deadlineDays, now);
        Console.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:0.0} s");
        var expected = await ScalarAsync(connectionString,
            $"SELECT COUNT(*) FROM members WHERE MONTH(Birthday) = {day.Month} AND GuideContactConsent = 1");

        // The hand-written baseline, for a paused twin plan: one statement, one transaction. Once before the job and once
        // after it (a third twin), so that the database's background work after the seed weighs on neither side alone.
        async Task<(double Seconds, long Tasks)> BySqlAsync(string plan)
        {
            var watch = Stopwatch.StartNew();
            var tasks = await ExecuteAsync(connectionString,
                "INSERT INTO care_tasks (Id, PlanId, MemberId, Period, GuideId, StoreId, Status, IssuedAt, DueAt, UrgeCount, Version) " +
                $"SELECT UUID(), '{plan}', m.Id, '{period}', COALESCE(eg.Id, dg.Id), COALESCE(m.StoreId, eg.StoreId), 'Pending', " +
                $"'{issuedAt:yyyy-MM-dd HH:mm:ss}', '{dueAt:yyyy-MM-dd HH:mm:ss}', 0, 0 " +
                "FROM members m " +
                "LEFT JOIN guides eg ON eg.Id = m.ExclusiveGuideId AND eg.Active = 1 " +
                "LEFT JOIN stores s ON s.Id = m.StoreId " +
                "LEFT JOIN guides dg ON dg.Id = s.DefaultGuideId AND dg.Active = 1 " +
                $"WHERE m.GuideContactConsent = 1 AND MONTH(m.Birthday) = {day.Month}");
            return (watch.Elapsed.TotalSeconds, tasks);
        }
        var sql = await BySqlAsync(SqlPlan);
        var first = await RunJobAsync(apiDll, environment);
        if (first is null) return 1;
        var sqlAfter = await BySqlAsync(SqlPlanAfter);
        var second = await RunJobAsync(apiDll, environment);
        if (second is null) return 1;
        await ExecuteAsync(connectionString, $"UPDATE care_plans SET LastIssuedPeriod = NULL WHERE Id = '{JobPlan}'");
        var third = await RunJobAsync(apiDll, environment);
        if (third is null) return 1;

        var byJob = await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM care_tasks WHERE PlanId = '{JobPlan}' AND Period = '{period}'");
        var inSql = await ScalarAsync(connectionString, $"SELECT COUNT(*) FROM care_tasks WHERE PlanId = '{SqlPlan}' AND Period = '{period}'");
        // Row for row: the same member has the same guide, store, issue and due instants on both sides.
        var alike = await ScalarAsync(connectionString,
            "SELECT COUNT(*) FROM care_tasks j JOIN care_tasks s ON s.PlanId = '" + SqlPlan + "' AND s.MemberId = j.MemberId AND s.Period = j.Period " +
            $"WHERE j.PlanId = '{JobPlan}' AND j.GuideId <=> s.GuideId AND j.StoreId <=> s.StoreId AND j.IssuedAt = s.IssuedAt AND j.DueAt = s.DueAt " +
            "AND j.Status = 'Pending' AND s.Status = 'Pending'");
        var byDefaultGuide = await ScalarAsync(connectionString,
            $"SELECT COUNT(*) FROM care_tasks t JOIN members m ON m.Id = t.MemberId WHERE t.PlanId = '{JobPlan}' AND m.ExclusiveGuideId IS NULL AND t.GuideId IS NOT NULL");

        Console.WriteLine();
        Console.WriteLine($"care generation benchmark (machine: {Environment.ProcessorCount} cores, shared by MariaDB and the job)");
        var sqlSeconds = (sql.Seconds + sqlAfter.Seconds) / 2;
        Console.WriteLine($"  {"hand-written INSERT ... SELECT (before the job)",-50} {sql.Seconds,8:0.0} s  ({sql.Tasks:N0} tasks)");
        Console.WriteLine($"  {"hand-written INSERT ... SELECT (after the job)",-50} {sqlAfter.Seconds,8:0.0} s  ({sqlAfter.Tasks:N0} tasks)");
        Console.WriteLine($"  {"the job (generate-care-tasks, its own process)",-50} {first.Value.Seconds,8:0.0} s  ({first.Value.Report})");
        Console.WriteLine($"  {"  ratio job / SQL (mean of the two)",-50} {first.Value.Seconds / sqlSeconds,8:0.00}x  (aim: within 2x; " +
                          $"{first.Value.Seconds / sql.Seconds:0.00}x and {first.Value.Seconds / sqlAfter.Seconds:0.00}x; the job's time includes its process start)");
        Console.WriteLine($"  {"  the job's peak working set",-50} {first.Value.PeakMb,8} MB (aim: under 300 MB)");
        Console.WriteLine($"  {"second run (period already finished)",-50} {second.Value.Seconds,8:0.0} s  ({second.Value.Report})");
        Console.WriteLine($"  {"third run (finished period cleared: every page)",-50} {third.Value.Seconds,8:0.0} s  ({third.Value.Report})");
        var ok = byJob == expected && inSql == expected && sql.Tasks == expected && sqlAfter.Tasks == expected && alike == expected
                 && first.Value.Created == expected && second.Value.Created == 0 && third.Value.Created == 0;
        Console.WriteLine(ok
            ? $"  checked: {expected:N0} tasks each (= members with a birthday in month {day.Month} and consent), row for row alike " +
              $"({byDefaultGuide:N0} to the store's default guide); the second and third runs created none"
            : $"  CHECK FAILED: expected {expected:N0}; job {byJob:N0} (reported {first.Value.Created:N0}), SQL {inSql:N0} ({sql.Tasks:N0}, after the job {sqlAfter.Tasks:N0}), alike {alike:N0}; " +
              $"second run {second.Value.Created}, third {third.Value.Created}");
        return ok ? 0 : 1;
    }

    /// <summary>One <c>generate-care-tasks</c> process: its wall time (start-up included), its report, the tasks it created, its peak working set.</summary>
    private static async Task<(double Seconds, string Report, long Created, long PeakMb)?> RunJobAsync(string apiDll, Dictionary<string, string> environment)
    {
        // A one-shot command process runs with tiered compilation (quick JIT first), as the README says to run it: the service's
        // own setting (no tiering: every method compiled fully optimized on first call) costs a short process ~3 s of start
        // (measured: a run with nothing to do 5.1 s without tiering, 2.2 s with it).
        var commandEnvironment = new Dictionary<string, string>(environment) { ["DOTNET_TieredCompilation"] = "1" };
        var watch = Stopwatch.StartNew();
        var (exitCode, output) = await GuideProcess.TryRunCommandAsync(apiDll, commandEnvironment, TimeSpan.FromMinutes(60), "generate-care-tasks");
        watch.Stop();
        var report = output.Split('\n').LastOrDefault(l => l.StartsWith("issued ", StringComparison.Ordinal))?.Trim() ?? output.Trim();
        if (exitCode != 0 || !report.StartsWith("issued ", StringComparison.Ordinal))
        {
            Console.WriteLine($"  generate-care-tasks failed ({exitCode}): {output}");
            return null;
        }
        var created = long.Parse(report.Split(' ')[1], CultureInfo.InvariantCulture);
        var peak = report.LastIndexOf("peak working set ", StringComparison.Ordinal) is var i and >= 0
            ? long.Parse(report[(i + "peak working set ".Length)..].Split(' ')[0], CultureInfo.InvariantCulture)
            : -1;
        return (watch.Elapsed.TotalSeconds, report, created, peak);
    }

    private static DateTimeOffset BrandInstant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Stores, guides, members and the two plans, set-based (MariaDB's sequence engine).</summary>
    private static async Task SeedAsync(string connectionString, int members, DateOnly day, int deadlineDays, DateTimeOffset now)
    {
        const string storeId = "CONCAT('00000000-0000-0000-0041-', LPAD({0}, 12, '0'))", guideId = "CONCAT('00000000-0000-0000-0042-', LPAD({0}, 12, '0'))";
        string Store(string n) => string.Format(CultureInfo.InvariantCulture, storeId, n);
        string Guide(string n) => string.Format(CultureInfo.InvariantCulture, guideId, n);
        var guides = Stores * GuidesPerStore;
        // Member n: store n % 500 + 1; 8 in 10 with an exclusive guide of that store (one of its 4); no consent every 33rd;
        // no birthday every 25th; else a birthday on day (n * 7919) % 365 + 1 of a year 1960-2004.
        var plan = (string id, int paused) =>
            "INSERT INTO care_plans (Id, Name, Owner, OwnerGuideId, TargetKind, TargetDays, TargetAmount, TargetCount, level_filter, store_filter, Schedule, StartsOn, " +
            "EndsOn, MonthDay, IssueTime, DeadlineDays, Script, GiftKind, GiftReference, GiftPoints, Channel, Paused, CreatedAt, UpdatedAt, DeletedAt, LastIssuedPeriod) " +
            $"VALUES ('{id}', '生日关怀', 'Hq', NULL, 'BirthdayThisMonth', NULL, NULL, NULL, '', '', 'Monthly', '{day.AddDays(-30):yyyy-MM-dd}', NULL, {day.Day}, " +
            $"'09:00:00', {deadlineDays}, '{{name}}您好，生日{{birthday}}快乐！', NULL, NULL, NULL, 'WeComChat', {paused}, " +
            $"'{now.AddDays(-30):yyyy-MM-dd HH:mm:ss}', '{now.AddDays(-30):yyyy-MM-dd HH:mm:ss}', NULL, NULL)";
        foreach (var sql in new[]
                 {
                     $"INSERT INTO stores (Id, Code, Name, Area, Active, CreatedAt) SELECT {Store("seq")}, CONCAT('CG', LPAD(seq, 4, '0')), CONCAT('门店', seq), " +
                     $"CONCAT('Area-', LPAD(seq % {Areas}, 2, '0')), 1, UTC_TIMESTAMP(6) FROM seq_1_to_{Stores}",
                     "INSERT INTO guides (Id, WeComUserId, Name, StoreId, Role, Mobile, Active, CreatedAt, managed_areas, SceneCode) " +
                     $"SELECT {Guide("seq")}, CONCAT('cg-g-', seq), CONCAT('导购', seq), {Store($"(seq - 1) DIV {GuidesPerStore} + 1")}, 'Guide', NULL, 1, " +
                     $"UTC_TIMESTAMP(6), '', NULL FROM seq_1_to_{guides}",
                     $"UPDATE stores s JOIN seq_1_to_{Stores} q ON s.Id = {Store("q.seq")} SET s.DefaultGuideId = {Guide($"(q.seq - 1) * {GuidesPerStore} + 1")}",
                     "INSERT INTO members (Id, OpenId, UnionId, Phone, Nickname, Gender, Birthday, Level, LevelVersion, ExclusiveGuideId, StoreId, RegisteredAt, GuideContactConsent) " +
                     "SELECT CONCAT('00000000-0000-0000-0043-', LPAD(seq, 12, '0')), CONCAT('cg-m-', seq), NULL, CONCAT('138', LPAD(seq, 8, '0')), CONCAT('会员', seq), 'Unknown', " +
                     "IF(seq % 25 = 0, NULL, MAKEDATE(1960 + seq % 45, (seq * 7919) % 365 + 1)), 0, 0, " +
                     $"IF(seq % 10 < 8, {Guide($"(seq % {Stores}) * {GuidesPerStore} + seq % {GuidesPerStore} + 1")}, NULL), {Store($"seq % {Stores} + 1")}, " +
                     $"UTC_TIMESTAMP(6) - INTERVAL (seq % 1000) DAY, IF(seq % 33 = 0, 0, 1) FROM seq_1_to_{members}",
                     plan(JobPlan, 0),
                     plan(SqlPlan, 1),
                     plan(SqlPlanAfter, 1),
                     "ANALYZE TABLE members, guides, stores, care_tasks",
                 })
        {
            await ExecuteAsync(connectionString, sql);
        }
    }

    private static async Task<long> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 3600 };
        if (!sql.StartsWith("ANALYZE", StringComparison.Ordinal)) return await command.ExecuteNonQueryAsync();
        await using var reader = await command.ExecuteReaderAsync();
        return 0;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 3600 };
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }
}
