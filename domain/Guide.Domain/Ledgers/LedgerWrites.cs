using System.Collections.Concurrent;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guide.Domain.Ledgers;

/// <summary>
/// The rows a ledger command writes, sent by the kernel in ONE statement batch just before the transaction
/// commits: first the account rows (the locked account's new balances, guarded by its version; new lots and
/// the lots that moved), then the append-only rows in the order they were added (ledger entries, their lot
/// lines, the command's own record, the idempotency record). Nothing of it is tracked by EF Core: a ledger
/// row is written once and never edited, and change tracking for a handful of rows cost more than the rest
/// of a charge together. The INSERTs are generated from the EF model (table, columns, value conversions),
/// so the mapping is still written once, in the entity configurations. Rows EF does track (a recharge marked
/// paid, a member's level) are saved by EF after these.
/// </summary>
public sealed class LedgerWrites(GuideDbContext db)
{
    private readonly List<Action<StatementBatch>> _accounts = [];
    private readonly List<(object Row, RowInsert Insert)> _rows = [];

    /// <summary>An append-only row (an entity of the model), inserted after the account rows, in order.</summary>
    public void Insert<T>(T row) where T : class => _rows.Add((row, RowInsert.For(db, typeof(T))));

    /// <summary>An account's rows, written first; <paramref name="write"/> runs at flush time, so it states the final balances.</summary>
    public void Account(Action<StatementBatch> write) => _accounts.Add(write);

    /// <summary>Appends the INSERT of <paramref name="row"/> to a batch (for account rows that are new: an opened wallet, a new lot).</summary>
    public void AddInsert<T>(StatementBatch batch, T row) where T : class => RowInsert.For(db, typeof(T)).AddTo(batch, row);

    internal void Clear()
    {
        _accounts.Clear();
        _rows.Clear();
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_accounts.Count == 0 && _rows.Count == 0) return;
        var batch = new StatementBatch(db, null);
        foreach (var account in _accounts) account(batch);
        // Append-only rows go as multi-row INSERTs, a table at a time in the order the tables first appear (an entry
        // before its lines): a batch job's page of a thousand entries is a few statements, not thousands.
        foreach (var table in _rows.GroupBy(r => r.Insert))
            foreach (var chunk in table.Select(r => r.Row).Chunk(RowInsert.MaxRowsPerStatement))
                table.Key.AddTo(batch, chunk);
        Clear();
        await batch.ExecuteWritesAsync(cancellationToken);
    }
}

/// <summary>An entity type's INSERT, read once from the EF model: its table, its columns, and each property's type mapping.</summary>
internal sealed class RowInsert
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Type), RowInsert> Cache = new();

    private readonly string _head;
    private readonly (IProperty Property, RelationalTypeMapping Mapping)[] _columns;

    private RowInsert(string head, (IProperty, RelationalTypeMapping)[] columns)
    {
        _head = head;
        _columns = columns;
    }

    public static RowInsert For(GuideDbContext db, Type type) =>
        Cache.GetOrAdd((db.Model, type), key =>
        {
            var entity = key.Model.FindEntityType(key.Type) ?? throw new InvalidOperationException($"{key.Type.Name} is not an entity of the model.");
            var table = entity.GetTableName() ?? throw new InvalidOperationException($"{key.Type.Name} has no table.");
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var properties = entity.GetProperties().ToArray();
            var columns = properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store)!));
            return new RowInsert($"INSERT INTO {sql.DelimitIdentifier(table)} ({string.Join(", ", columns)}) VALUES ",
                properties.Select(p => (p, (RelationalTypeMapping)p.GetRelationalTypeMapping())).ToArray());
        });

    /// <summary>Rows per INSERT: well below SQLite's 32,766 parameters per statement for our widest table.</summary>
    public const int MaxRowsPerStatement = 200;

    public void AddTo(StatementBatch batch, object row) => AddTo(batch, [row]);

    public void AddTo(StatementBatch batch, IReadOnlyList<object> rows)
    {
        var sql = new System.Text.StringBuilder(_head);
        var values = new string[_columns.Length];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var (property, mapping) = _columns[i];
                values[i] = batch.P(property.GetGetter().GetClrValueUsingContainingEntity(rows[r]), mapping);
            }
            if (r > 0) sql.Append(", ");
            sql.Append('(').AppendJoin(", ", values).Append(')');
        }
        batch.Execute(sql.ToString(), rows.Count);
    }
}
