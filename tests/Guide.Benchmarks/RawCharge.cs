using System.Data;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// The baseline: the same ledger transaction as a charge, hand-written over MySqlConnector with nothing
/// around it (no HTTP, no signature, no idempotency record, no EF): lock-and-debit the wallet with a
/// conditional UPDATE, debit its lot, read the balances after, insert the entry and its lot line, commit.
/// </summary>
public sealed class RawCharge
{
    private readonly string _connectionString;
    private readonly Dictionary<Guid, Guid> _lotOf;

    private RawCharge(string connectionString, Dictionary<Guid, Guid> lotOf)
    {
        _connectionString = connectionString;
        _lotOf = lotOf;
    }

    /// <summary>Reads each wallet's (first) lot, which the benchmark's float was credited to.</summary>
    public static async Task<RawCharge> PrepareAsync(string connectionString)
    {
        var lots = new Dictionary<Guid, Guid>();
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var reader = await new MySqlCommand("SELECT MemberId, Id FROM wallet_lots ORDER BY CreatedAt", connection).ExecuteReaderAsync();
        while (await reader.ReadAsync()) lots.TryAdd(reader.GetGuid(0), reader.GetGuid(1));
        return new RawCharge(connectionString, lots);
    }

    /// <summary>Payment codes for the till phase: one pool for the endpoint, one for the raw loop.</summary>
    public sealed record PaymentCodes(CodePool Endpoint, CodePool Raw);

    public sealed class CodePool(IEnumerable<(string Code, Guid Member)> codes)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string, Guid)> _codes = new(codes);

        public (string Code, Guid Member) Take() => _codes.TryDequeue(out var c) ? c : throw new InvalidOperationException("out of payment codes");
    }

    /// <summary>Writes <paramref name="count"/> payment codes per pool (18 digits, stored as SHA-256 like the API's), spread over the members.</summary>
    public static async Task<PaymentCodes> IssuePaymentCodesAsync(string connectionString, IReadOnlyList<Guid> members, int count)
    {
        var now = DateTime.UtcNow;
        var pools = new List<List<(string, Guid)>> { new(), new() };
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var pool in pools)
        {
            for (var start = 0; start < count; start += 1000)
            {
                var sql = new System.Text.StringBuilder("INSERT INTO wallet_tokens (Id, Purpose, MemberId, Hash, Amount, IssuedAt, ExpiresAt, UsedAt) VALUES ");
                var command = new MySqlCommand { Connection = connection };
                for (var i = start; i < Math.Min(count, start + 1000); i++)
                {
                    var code = "9" + string.Concat(Enumerable.Range(0, 17).Select(_ => (char)('0' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10))));
                    var member = members[i % members.Count];
                    pool.Add((code, member));
                    if (i > start) sql.Append(',');
                    sql.Append($"(@id{i}, 'PaymentCode', @m{i}, @h{i}, NULL, @now, @until, NULL)");
                    command.Parameters.AddWithValue($"@id{i}", Guid.CreateVersion7());
                    command.Parameters.AddWithValue($"@m{i}", member);
                    command.Parameters.AddWithValue($"@h{i}", HashOf(code));
                }
                command.Parameters.AddWithValue("@now", now);
                command.Parameters.AddWithValue("@until", now.AddMinutes(30));
                command.CommandText = sql.ToString();
                await command.ExecuteNonQueryAsync();
            }
        }
        return new PaymentCodes(new CodePool(pools[0]), new CodePool(pools[1]));
    }

    private static string HashOf(string code) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)));

    /// <summary>The till's baseline: spend the code with a conditional UPDATE, then the same charge transaction.</summary>
    public Task<Outcome> ChargeByPaymentCodeAsync(string code, Guid member, long amount, string documentNumber) =>
        ChargeAsync(member, amount, documentNumber, HashOf(code));

    public async Task<Outcome> ChargeAsync(Guid member, long amount, string documentNumber, string? codeHash = null)
    {
        await using var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        var now = DateTime.UtcNow;

        if (codeHash is not null)
        {
            var spend = new MySqlCommand("""
                UPDATE wallet_tokens SET UsedAt = @now WHERE Hash = @hash AND Purpose = 'PaymentCode' AND UsedAt IS NULL AND ExpiresAt > @now
                """, connection, transaction);
            spend.Parameters.AddWithValue("@now", now);
            spend.Parameters.AddWithValue("@hash", codeHash);
            if (await spend.ExecuteNonQueryAsync() == 0)
            {
                await transaction.RollbackAsync();
                return Outcome.Refused;
            }
        }

        var debit = new MySqlCommand("""
            UPDATE wallets SET Version = Version + 1, Principal = Principal - @amount, UpdatedAt = @now
            WHERE MemberId = @member AND Principal >= @amount
            """, connection, transaction);
        debit.Parameters.AddWithValue("@amount", amount);
        debit.Parameters.AddWithValue("@now", now);
        debit.Parameters.AddWithValue("@member", member);
        if (await debit.ExecuteNonQueryAsync() == 0)
        {
            await transaction.RollbackAsync();
            return Outcome.Refused;
        }

        var lot = _lotOf[member];
        var lotDebit = new MySqlCommand("""
            UPDATE wallet_lots SET PrincipalRemaining = PrincipalRemaining - @amount WHERE Id = @lot AND PrincipalRemaining >= @amount
            """, connection, transaction);
        lotDebit.Parameters.AddWithValue("@amount", amount);
        lotDebit.Parameters.AddWithValue("@lot", lot);
        if (await lotDebit.ExecuteNonQueryAsync() == 0)
        {
            await transaction.RollbackAsync();
            return Outcome.Refused;
        }

        long principalAfter, giftAfter;
        var read = new MySqlCommand("SELECT Principal, Gift FROM wallets WHERE MemberId = @member", connection, transaction);
        read.Parameters.AddWithValue("@member", member);
        await using (var reader = await read.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            principalAfter = reader.GetInt64(0);
            giftAfter = reader.GetInt64(1);
        }

        var entryId = Guid.CreateVersion7();
        var entry = new MySqlCommand("""
            INSERT INTO wallet_entries (Id, MemberId, Kind, PrincipalDelta, GiftDelta, PrincipalAfter, GiftAfter, SourceKey, Reference, OccurredAt)
            VALUES (@id, @member, 'Charge', @delta, 0, @principalAfter, @giftAfter, @key, @reference, @now);
            INSERT INTO wallet_entry_lines (EntryId, LotId, PrincipalDelta, GiftDelta) VALUES (@id, @lot, @delta, 0);
            """, connection, transaction);
        entry.Parameters.AddWithValue("@id", entryId);
        entry.Parameters.AddWithValue("@member", member);
        entry.Parameters.AddWithValue("@delta", -amount);
        entry.Parameters.AddWithValue("@principalAfter", principalAfter);
        entry.Parameters.AddWithValue("@giftAfter", giftAfter);
        entry.Parameters.AddWithValue("@key", "raw-charge:" + documentNumber);
        entry.Parameters.AddWithValue("@reference", documentNumber);
        entry.Parameters.AddWithValue("@now", now);
        entry.Parameters.AddWithValue("@lot", lot);
        await entry.ExecuteNonQueryAsync();

        await transaction.CommitAsync();
        return Outcome.Succeeded;
    }

    /// <summary>Wallets that differ from the sum of their entries or of their lots, after both phases.</summary>
    public static async Task<long> CheckInvariantsAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var command = new MySqlCommand("""
            SELECT COUNT(*) FROM wallets w
            WHERE w.Principal < 0 OR w.Gift < 0
               OR w.Principal <> COALESCE((SELECT SUM(e.PrincipalDelta) FROM wallet_entries e WHERE e.MemberId = w.MemberId), 0)
               OR w.Gift <> COALESCE((SELECT SUM(e.GiftDelta) FROM wallet_entries e WHERE e.MemberId = w.MemberId), 0)
               OR w.Principal <> COALESCE((SELECT SUM(l.PrincipalRemaining) FROM wallet_lots l WHERE l.MemberId = w.MemberId), 0)
               OR w.Gift <> COALESCE((SELECT SUM(l.GiftRemaining) FROM wallet_lots l WHERE l.MemberId = w.MemberId), 0)
            """, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
