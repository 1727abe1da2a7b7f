using System.Data;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Common;

/// <summary>
/// A READ COMMITTED transaction retried whole on a deadlock, a lock timeout, a lost concurrency token or a
/// unique-key race; for handlers that lock a row first (<c>UPDATE ... SET version = version + 1</c>) and must
/// then read what other writers committed (InnoDB's default REPEATABLE READ would show them an older snapshot).
/// SQLite promotes it to its serializable <c>BEGIN IMMEDIATE</c>. Inside an outer transaction it only runs the work.
/// </summary>
public static class Transactions
{
    private const int MaxAttempts = 12;

    /// <param name="recover">Called with a <see cref="RecoverableException"/> the work threw; true when it repaired the cause (the work is then retried).</param>
    public static async Task<T> ReadCommittedAsync<T>(GuideDbContext db, Func<Task<T>> work, CancellationToken cancellationToken,
        Func<Exception, Task<bool>>? recover = null)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            var result = await work();
            await db.SaveChangesAsync(cancellationToken);
            return result;
        }

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            Exception? failure;
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                var result = await work();
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsRetryable(e))
            {
                failure = null;
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
            catch (RecoverableException e) when (attempt < MaxAttempts && recover is not null)
            {
                failure = e;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
            if (failure is not null && !await recover!(failure)) throw failure;
        }
    }

    private static bool IsRetryable(Exception e) =>
        e is DbUpdateConcurrencyException || (e is DbUpdateException u && DbErrors.IsUniqueViolation(u)) || DbErrors.IsTransient(e);
}

/// <summary>A failure the work signals on purpose so that the runner's <c>recover</c> repairs its cause (e.g. a wallet not opened yet).</summary>
public abstract class RecoverableException(string message) : Exception(message);
