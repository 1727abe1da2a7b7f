using System.Data;
using System.Data.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guide.Domain.Ledgers;

/// <summary>
/// The database transaction of one attempt of <see cref="Transactions"/>. SQLite: EF Core's transaction (its
/// <c>BEGIN</c> is a local call). MySQL: <see cref="DeferredBegin"/>, whose <c>BEGIN</c> costs no round trip of its own.
/// </summary>
internal abstract class AttemptTransaction : IAsyncDisposable
{
    /// <summary>The EF transaction commands must name, or null when the attempt's transaction is the session's own.</summary>
    public abstract DbTransaction? DbTransaction { get; }

    public static async Task<AttemptTransaction> BeginAsync(GuideDbContext db, CancellationToken cancellationToken)
    {
        if (StatementBatch.DialectOf(db) == SqlDialect.MySql && DeferredBegin.IsInstalled(db))
            return await DeferredBegin.OpenAsync(db, cancellationToken);
        var attempt = new EfTransaction(db, await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken));
        db.Attempt = attempt;
        return attempt;
    }

    /// <summary>
    /// Text that must precede the next command of the attempt (the deferred <c>BEGIN</c>), empty after the first.
    /// Called by whatever is about to send a command: <see cref="StatementBatch"/> and, for EF Core's own commands,
    /// <see cref="DeferredBegin.Commands"/>.
    /// </summary>
    public abstract string TakeBegin();

    public abstract Task CommitAsync(CancellationToken cancellationToken);

    public abstract Task RollbackAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    private sealed class EfTransaction(GuideDbContext db, IDbContextTransaction transaction) : AttemptTransaction
    {
        public override DbTransaction? DbTransaction => transaction.GetDbTransaction();

        public override string TakeBegin() => "";

        public override Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public override Task RollbackAsync(CancellationToken cancellationToken) => transaction.RollbackAsync(cancellationToken);

        public override ValueTask DisposeAsync()
        {
            db.Attempt = null;
            return transaction.DisposeAsync();
        }
    }
}

/// <summary>
/// MySQL's transaction of an attempt without a round trip for <c>BEGIN</c>: the session's transaction is started
/// by the attempt's first command, whose text is prefixed with <c>SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
/// START TRANSACTION</c> (InnoDB's transaction starts with its first statement anyway). A ledger charge is then the
/// lock-and-load batch, the write batch and COMMIT: 3 round trips where MySqlConnector's
/// <c>BeginTransactionAsync</c> makes it 4 (measured by <c>WalletChargeCostTests</c>). The connection stays open
/// for the attempt and EF Core opens no transaction of its own meanwhile (<c>AutoTransactionBehavior.Never</c>:
/// its SaveChanges would otherwise <c>START TRANSACTION</c> again, which commits ours). An attempt that ends
/// without COMMIT rolls back before the connection goes back to the pool; if even that fails, the pool is cleared
/// so the session is never handed out inside a transaction.
/// </summary>
internal sealed class DeferredBegin : AttemptTransaction
{
    private const string Begin = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\n";

    /// <summary>Prefixes EF Core's commands inside an attempt; installed on MySQL contexts by <c>DatabaseSetup</c>.</summary>
    public static readonly DbCommandInterceptor Commands = new BeginInterceptor();

    private readonly GuideDbContext _db;
    private readonly AutoTransactionBehavior _autoTransactions;
    private bool _started;
    private bool _finished;

    private DeferredBegin(GuideDbContext db)
    {
        _db = db;
        _autoTransactions = db.Database.AutoTransactionBehavior;
    }

    public override DbTransaction? DbTransaction => null;

    /// <summary>Whether EF Core's commands of this context pass through <see cref="Commands"/> (else EF's BEGIN is used).</summary>
    public static bool IsInstalled(GuideDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.Contains(Commands) == true;

    public static async Task<DeferredBegin> OpenAsync(GuideDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var attempt = new DeferredBegin(db);
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        db.Attempt = attempt;
        return attempt;
    }

    public override string TakeBegin()
    {
        if (_started || _finished) return "";
        _started = true; // before the command runs: whatever it does, the session may be in a transaction now
        return Begin;
    }

    public override async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_started && !_finished) await ExecuteAsync("COMMIT", cancellationToken);
        _finished = true;
    }

    public override async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (_started && !_finished) await ExecuteAsync("ROLLBACK", cancellationToken);
        _finished = true;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (_started && !_finished)
            {
                try
                {
                    await ExecuteAsync("ROLLBACK", CancellationToken.None);
                }
                catch (Exception)
                {
                    // The session cannot be rolled back (it broke, most likely): it must not serve anyone again.
                    if (_db.Database.GetDbConnection() is MySqlConnector.MySqlConnection connection)
                        MySqlConnector.MySqlConnection.ClearPool(connection);
                }
                _finished = true;
            }
        }
        finally
        {
            _db.Attempt = null;
            _db.Database.AutoTransactionBehavior = _autoTransactions;
            await _db.Database.CloseConnectionAsync();
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class BeginInterceptor : DbCommandInterceptor
    {
        private static void Prefix(DbCommand command, CommandEventData eventData)
        {
            if (eventData.Context is GuideDbContext { Attempt: { } attempt } && attempt.TakeBegin() is { Length: > 0 } begin)
                command.CommandText = begin + command.CommandText;
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Prefix(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Prefix(command, eventData);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Prefix(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Prefix(command, eventData);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Prefix(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Prefix(command, eventData);
            return ValueTask.FromResult(result);
        }
    }
}
