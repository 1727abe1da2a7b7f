using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guide.Domain.Ledgers;

public enum SqlDialect
{
    Sqlite,
    MySql,
}

/// <summary>
/// Several statements sent to the database in ONE round trip, inside the current transaction: how a ledger
/// locks and loads its account (MySQL <c>SELECT ... FOR UPDATE</c> of the account, then its open lots and the
/// settings its rule needs) and how a request's facts (its nonce, its idempotency record) are checked first.
/// EF Core sends one query per round trip; on the hottest paths that is most of the cost, so these few
/// statements are written by hand, once per account kind. Values are converted the way our EF model stores
/// them: SQLite keeps GUIDs as upper-case text and instants as UTC ticks, MySQL as char(36) and datetime(6).
/// </summary>
public sealed class StatementBatch
{
    private readonly GuideDbContext _db;
    private readonly Transactions? _transactions;
    private readonly List<(string Name, object Value, RelationalTypeMapping? Mapping)> _parameters = [];
    private List<(string Sql, Func<SqlRows, Task>? Read)> _statements = [];
    private int _expectedRows;

    /// <param name="transactions">
    /// The policy's transaction this batch runs in: its first batch also carries the request's facts (before the
    /// batch's own statements) and the idempotency look-up (after them), in the same round trip.
    /// </param>
    public StatementBatch(GuideDbContext db, Transactions? transactions)
    {
        _db = db;
        _transactions = transactions;
        Dialect = DialectOf(db);
    }

    public SqlDialect Dialect { get; }

    /// <summary>The provider of a context's model (asked once per model: the provider's name is a service look-up).</summary>
    public static SqlDialect DialectOf(GuideDbContext db) =>
        Dialects.GetValue(db.Model, _ => new StrongBox<SqlDialect>(
            db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite" ? SqlDialect.Sqlite : SqlDialect.MySql)).Value;

    private static readonly ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, StrongBox<SqlDialect>> Dialects = new();

    /// <summary>Locks the rows read until commit (InnoDB); SQLite's write transaction holds the whole database already.</summary>
    public string ForUpdate => Dialect == SqlDialect.MySql ? " FOR UPDATE" : "";

    /// <summary>The number of rows the previous statement of the batch changed.</summary>
    public string RowCount => Dialect == SqlDialect.MySql ? "ROW_COUNT()" : "changes()";

    public bool IsEmpty => _statements.Count == 0;

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string P(object? value)
    {
        var name = "@b" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, ToDb(value), null));
        return name;
    }

    /// <summary>
    /// A mapped property's value as EF Core stores it: through the property's value converter (enums as text,
    /// instants as ticks on SQLite), then as any other parameter. (Not EF's own parameter factory: setting a
    /// DbType makes MySqlConnector search its type table for every parameter.)
    /// </summary>
    public string P(object? value, RelationalTypeMapping mapping) =>
        P(value is not null && mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value);

    /// <summary>A statement without a result set (INSERT, UPDATE); as a kernel write it changes <paramref name="rows"/> rows.</summary>
    public StatementBatch Execute(string sql, int rows = 1)
    {
        _statements.Add((sql, null));
        _expectedRows += rows;
        return this;
    }

    /// <summary>A statement with one result set, read by <paramref name="read"/> when the batch runs.</summary>
    public StatementBatch Query(string sql, Func<SqlRows, Task> read)
    {
        _statements.Add((sql, read));
        return this;
    }

    /// <summary>A query whose rows are read one by one.</summary>
    public StatementBatch Query(string sql, Action<SqlRows> eachRow) =>
        Query(sql, async rows =>
        {
            while (await rows.ReadAsync()) eachRow(rows);
        });

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var first = _transactions?.TakeFirstBatch();
        if (first is { } parts)
        {
            var own = _statements;
            _statements = [];
            parts.Before(this);
            _statements.AddRange(own);
            parts.After(this);
        }
        try
        {
            if (!IsEmpty) await RunAsync(cancellationToken);
        }
        catch (Exception e) when (first is not null && e is not OperationCanceledException)
        {
            if (await first.Value.Explain(e, cancellationToken) is { } explained) throw explained;
            throw;
        }
        first?.Check();
    }

    /// <summary>
    /// Runs statements that each change exactly the rows they say (the kernel's writes) and checks that they did: a
    /// guarded UPDATE that matched nothing (another writer got there first) is a lost race, retried whole.
    /// </summary>
    public async Task ExecuteWritesAsync(CancellationToken cancellationToken)
    {
        if (IsEmpty) return;
        if (_statements.Any(s => s.Read is not null)) throw new InvalidOperationException("A write batch has no queries.");
        await using var command = CreateCommand();
        var changed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (changed != _expectedRows)
            throw new DbUpdateConcurrencyException($"The kernel's writes ({_statements.Count} statements, {_expectedRows} rows) changed {changed} rows: a row changed meanwhile.");
    }

    private DbCommand CreateCommand()
    {
        var attempt = _db.Attempt
            ?? throw new InvalidOperationException("A statement batch runs inside the transaction policy (Transactions.RunAsync).");
        var command = _db.Database.GetDbConnection().CreateCommand();
        command.Transaction = attempt.DbTransaction;
        var sql = new StringBuilder(attempt.TakeBegin());
        foreach (var (text, _) in _statements) sql.Append(text).Append(";\n");
        command.CommandText = sql.ToString();
        foreach (var (name, value, mapping) in _parameters)
        {
            if (mapping is not null)
            {
                command.Parameters.Add(mapping.CreateParameter(command, name, value));
                continue;
            }
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var command = CreateCommand();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new SqlRows(reader, Dialect, cancellationToken);
        foreach (var (_, read) in _statements)
        {
            // Statements without a result set produce none, so the reader is always at the next query's rows.
            if (read is null) continue;
            await read(rows);
            await reader.NextResultAsync(cancellationToken);
        }
    }

    private object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g when Dialect == SqlDialect.Sqlite => g.ToString("D").ToUpperInvariant(),
        DateTimeOffset t when Dialect == SqlDialect.Sqlite => t.UtcTicks,
        DateTimeOffset t => t.UtcDateTime,
        Enum e => e.ToString(),
        _ => value,
    };
}

/// <summary>The current result set of a <see cref="StatementBatch"/>, with our model's conversions.</summary>
public sealed class SqlRows(DbDataReader reader, SqlDialect dialect, CancellationToken cancellationToken)
{
    public Task<bool> ReadAsync() => reader.ReadAsync(cancellationToken);

    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

    public long Long(int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public int Int(int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public bool Bool(int ordinal) => Convert.ToBoolean(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public string String(int ordinal) => reader.GetString(ordinal);

    public string? NullableString(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public Guid Guid(int ordinal) => reader.GetGuid(ordinal);

    public Guid? NullableGuid(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);

    public DateTimeOffset Instant(int ordinal) => dialect == SqlDialect.Sqlite
        ? new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero)
        : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public DateTimeOffset? NullableInstant(int ordinal) => reader.IsDBNull(ordinal) ? null : Instant(ordinal);

    public T Enum<T>(int ordinal) where T : struct, Enum => System.Enum.Parse<T>(reader.GetString(ordinal));
}
