using System.Diagnostics;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// Issue 16 (b): the points expiry job over a million due lots (the API's <c>expire-points</c> command: the job's
/// run, in its own process, which reports its peak working set) against one hand-written set-based transaction
/// doing the same (lots to zero, one expiry entry and one line per lot, account balances), on as many lots of
/// other members. Prints both times, the ratio (aim: within 2x) and the job's peak working set (aim: under 300 MB).
/// </summary>
internal static class PointsExpiryBench
{
    public static async Task<int> RunAsync(string connectionString, string apiDll, Dictionary<string, string> environment, int lots, int lotsPerMember)
    {
        var members = Math.Max(1, lots / lotsPerMember);
        Console.WriteLine($"points expiry: {members * lotsPerMember:N0} due lots ({members:N0} members x {lotsPerMember}) for the job, as many for the SQL");
        var seeding = Stopwatch.StartNew();
        await SeedAsync(connectionString, "job", members, lotsPerMember);
        await SeedAsync(connectionString, "sql", members, lotsPerMember);
        Console.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

        // The hand-written baseline first, on its own members (the job then finds only its own lots due).
        var sql = Stopwatch.StartNew();
        var expiredBySql = await ExpireBySqlAsync(connectionString, "sql");
        sql.Stop();

        var job = Stopwatch.StartNew();
        var (exitCode, output) = await GuideProcess.TryRunCommandAsync(apiDll, environment, TimeSpan.FromMinutes(60), "expire-points");
        job.Stop();
        var report = output.Split('\n').LastOrDefault(l => l.StartsWith("expired ", StringComparison.Ordinal)) ?? output.Trim();
        if (exitCode != 0)
        {
            Console.WriteLine($"  expire-points failed ({exitCode}): {output}");
            return 1;
        }

        var (leftJob, entriesJob, balanceJob) = await CheckAsync(connectionString, "job");
        var (leftSql, entriesSql, balanceSql) = await CheckAsync(connectionString, "sql");
        var expected = (long)members * lotsPerMember;
        Console.WriteLine($"  {"hand-written UPDATE + INSERT ... SELECT",-42} {sql.Elapsed.TotalSeconds,8:0.0} s  ({expiredBySql:N0} lots)");
        Console.WriteLine($"  {"the job (expire-points, its own process)",-42} {job.Elapsed.TotalSeconds,8:0.0} s  ({report})");
        Console.WriteLine($"  {"  ratio job / SQL",-42} {job.Elapsed.TotalSeconds / sql.Elapsed.TotalSeconds,8:0.00}x");
        var ok = leftJob == 0 && leftSql == 0 && entriesJob == expected && entriesSql == expected && balanceJob == 0 && balanceSql == 0;
        Console.WriteLine(ok
            ? $"  checked: every due lot at zero, {expected:N0} expiry entries each, every account's balance 0"
            : $"  CHECK FAILED: left {leftJob}/{leftSql}, entries {entriesJob}/{entriesSql} of {expected}, balances {balanceJob}/{balanceSql}");
        return ok ? 0 : 1;
    }

    /// <summary>Members, their accounts (balance = their lots) and their lots, all expired yesterday, set-based (MariaDB's sequence engine).</summary>
    private static async Task SeedAsync(string connectionString, string set, int members, int lotsPerMember)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
                 {
                     $"INSERT INTO members (Id, OpenId, Gender, Level, LevelVersion, RegisteredAt) " +
                     $"SELECT UUID(), CONCAT('bench-{set}-', seq), 'Unknown', 0, 0, UTC_TIMESTAMP(6) FROM seq_1_to_{members}",
                     $"INSERT INTO points_accounts (MemberId, Balance, Debt, Version, CreatedAt) " +
                     $"SELECT Id, {10 * lotsPerMember}, 0, 1, UTC_TIMESTAMP(6) FROM members WHERE OpenId LIKE 'bench-{set}-%'",
                     $"INSERT INTO points_lots (Id, MemberId, Source, SourceId, Amount, Remaining, EarnedAt, ExpiresAt, FrozenUntil) " +
                     $"SELECT UUID(), m.Id, 'Adjustment', NULL, 10, 10, UTC_TIMESTAMP(6) - INTERVAL 2 YEAR, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, NULL " +
                     $"FROM members m CROSS JOIN seq_1_to_{lotsPerMember} WHERE m.OpenId LIKE 'bench-{set}-%'",
                 })
        {
            await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 1800 };
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>What the job does, written by hand as one set-based transaction over the set's due lots.</summary>
    private static async Task<long> ExpireBySqlAsync(string connectionString, string set)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);
        long expired = 0;
        foreach (var sql in new[]
                 {
                     "CREATE TEMPORARY TABLE due ENGINE=InnoDB AS SELECT l.Id AS LotId, l.MemberId, l.Remaining, UUID() AS EntryId " +
                     "FROM points_lots l JOIN members m ON m.Id = l.MemberId " +
                     $"WHERE m.OpenId LIKE 'bench-{set}-%' AND l.Remaining > 0 AND l.ExpiresAt IS NOT NULL AND l.ExpiresAt <= UTC_TIMESTAMP(6) FOR UPDATE",
                     "ALTER TABLE due ADD PRIMARY KEY (LotId), ADD INDEX (MemberId)",
                     "UPDATE points_accounts a JOIN (SELECT MemberId, SUM(Remaining) AS Due FROM due GROUP BY MemberId) d ON d.MemberId = a.MemberId " +
                     "SET a.Balance = a.Balance - d.Due, a.Version = a.Version + 1, a.UpdatedAt = UTC_TIMESTAMP(6)",
                     "INSERT INTO points_entries (Id, MemberId, Kind, Delta, DebtDelta, Absorbed, BalanceAfter, DebtAfter, SourceKey, Reference, Note, OccurredAt) " +
                     "SELECT d.EntryId, d.MemberId, 'Expiry', -d.Remaining, 0, 0, " +
                     "a.Balance + COALESCE(SUM(d.Remaining) OVER (PARTITION BY d.MemberId ORDER BY d.LotId ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0), " +
                     "a.Debt, CONCAT('points-expiry:', REPLACE(d.LotId, '-', '')), NULL, NULL, UTC_TIMESTAMP(6) " +
                     "FROM due d JOIN points_accounts a ON a.MemberId = d.MemberId",
                     "INSERT INTO points_entry_lines (EntryId, LotId, Delta) SELECT EntryId, LotId, -Remaining FROM due",
                     "UPDATE points_lots l JOIN due d ON d.LotId = l.Id SET l.Remaining = 0",
                 })
        {
            await using var command = new MySqlCommand(sql, connection, transaction) { CommandTimeout = 1800 };
            var rows = await command.ExecuteNonQueryAsync();
            if (sql.StartsWith("UPDATE points_lots", StringComparison.Ordinal)) expired = rows;
        }
        await transaction.CommitAsync();
        await new MySqlCommand("DROP TEMPORARY TABLE due", connection).ExecuteNonQueryAsync();
        return expired;
    }

    private static async Task<(long LotsLeft, long ExpiryEntries, long Balances)> CheckAsync(string connectionString, string set)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<long> ScalarAsync(string sql)
        {
            await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
            return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
        var members = $"(SELECT Id FROM members WHERE OpenId LIKE 'bench-{set}-%')";
        return (
            await ScalarAsync($"SELECT COALESCE(SUM(Remaining), 0) FROM points_lots WHERE MemberId IN {members}"),
            await ScalarAsync($"SELECT COUNT(*) FROM points_entries WHERE Kind = 'Expiry' AND MemberId IN {members}"),
            await ScalarAsync($"SELECT COALESCE(SUM(ABS(Balance)), 0) FROM points_accounts WHERE MemberId IN {members}"));
    }
}
