using System.Text.Json;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.Ledgers;

/// <summary>
/// A fact about the request itself that must be recorded in the request's first transaction, checked in the
/// same round trip as its idempotency record: the integration nonce (an INSERT a replayed request fails on,
/// conditional on the client still being enabled). Recorded even when the command is refused or only replays.
/// </summary>
public interface IRequestFact
{
    /// <summary>Adds its statements to the first batch of the transaction (they run before any of the command's).</summary>
    void AddTo(StatementBatch batch);

    /// <summary>
    /// When the batch failed because of this fact: the refusal (a reused nonce, a disabled client), or a
    /// <see cref="RequestFactChanged"/> when the fact must be restated and the attempt retried; null when the
    /// failure is not its own. May query the database (the transaction is still open).
    /// </summary>
    Task<Exception?> ExplainAsync(Exception failure, StatementBatch query, CancellationToken cancellationToken);
}

/// <summary>A request fact was stated with outdated knowledge (e.g. a cached client revision): it is restated and the attempt retried.</summary>
public sealed class RequestFactChanged(string message) : Exception(message);

/// <summary>What a command answered, and whether it is the first answer of an identical earlier request.</summary>
public readonly record struct Outcome<T>(T Result, bool Replayed);

/// <summary>
/// The one transaction policy of Guide. Every write runs in one READ COMMITTED transaction, retried whole
/// (up to <see cref="MaxAttempts"/> times, with jitter) on a deadlock, a lock-wait timeout, a lost concurrency
/// token or a unique-key race: the retry is the recovery, so EF's savepoints are off. READ COMMITTED because a
/// ledger locks its account row first and must then see what other writers committed (InnoDB's default
/// REPEATABLE READ would show it the snapshot of its first read); SQLite promotes it to its serializable
/// <c>BEGIN IMMEDIATE</c>, which serializes writers.
/// <para>
/// The first statement batch of a transaction records the request's facts (<see cref="IRequestFact"/>) and
/// reads the idempotency record of an <see cref="IIdempotentCommand"/>: same key and payload answer the first
/// result, another payload is refused. A refusal of an idempotent command looks again, because the loser of a
/// race with its own resend is refused (the payment code was spent, the refund exceeds the charge) just as the
/// winner commits. A command sent from inside another joins it; an idempotent one may not (its key would not
/// be its own), nor may anything join a transaction the policy did not open: no silent downgrade.
/// </para>
/// </summary>
public sealed class Transactions(GuideDbContext db, LedgerWrites writes, BrandClock clock, ILogger<Transactions> logger)
{
    public const int MaxAttempts = 12;

    /// <summary>
    /// The interceptor a MySQL context needs so the policy's BEGIN rides in an attempt's first command (one round
    /// trip less per transaction); without it the policy falls back to EF Core's own BEGIN.
    /// </summary>
    public static Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor MySqlCommands => DeferredBegin.Commands;

    private readonly List<IRequestFact> _facts = [];
    private bool _factsRecorded;
    private bool _refusedForGood;
    private int _depth;
    private FirstBatch? _first;

    /// <summary>True while a command's work runs inside a transaction of the policy.</summary>
    public bool InTransaction => _depth > 0;

    /// <summary>Records <paramref name="fact"/> with the request's first transaction (or <see cref="RecordFactsAsync"/>).</summary>
    public void Record(IRequestFact fact)
    {
        _facts.Add(fact);
        _factsRecorded = false;
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) =>
        (await RunAsync(null, work, cancellationToken)).Result;

    public async Task<Outcome<T>> RunAsync<T>(IIdempotentCommand? once, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (_depth > 0)
        {
            if (once is not null)
                throw new InvalidOperationException($"{once.GetType().Name} is idempotent by its own key and cannot run inside another command's transaction.");
            return new Outcome<T>(await work(), false);
        }
        if (db.Database.CurrentTransaction is not null || db.Attempt is not null)
            throw new InvalidOperationException("A transaction the policy did not open is running; the policy (READ COMMITTED, retried whole) will not join it.");

        var hash = once is null ? null : LedgerRequest.HashOf(once.IdempotencyPayload);
        var outer = PayloadHash; // the facts recorded on their own run in here, without a command of their own
        PayloadHash = hash ?? outer;
        _refusedForGood = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // The first attempt does not look the idempotency record up: the record's unique key refuses a
                    // resend at saving time, and the retry that follows looks it up (one statement less per request).
                    return await AttemptAsync(once, hash, lookUp: attempt > 1, work, cancellationToken);
                }
                catch (Exception e) when (attempt < MaxAttempts && (DbErrors.IsRetryable(e) || e is RequestFactChanged))
                {
                    logger.LogDebug("Transaction attempt {Attempt} lost a race ({Error}); retrying", attempt, e.GetType().Name);
                    await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
                }
                catch (DomainException) when (once is not null && !_refusedForGood)
                {
                    if (await FirstAnswerAsync<T>(once, hash!, cancellationToken) is { } first) return first;
                    throw;
                }
            }
        }
        finally
        {
            PayloadHash = outer;
        }
    }

    /// <summary>
    /// The payload hash of the idempotent command the policy is running (null outside one): what a command answered by its own
    /// record (<see cref="IAnsweredByOwnRecord"/>) stores in that record, hashed once per request.
    /// </summary>
    public string? PayloadHash { get; private set; }

    /// <summary>Records the request's facts on their own when no transaction of the request did (a read, a refusal).</summary>
    public async Task RecordFactsAsync(CancellationToken cancellationToken)
    {
        if (_factsRecorded || _facts.Count == 0 || _depth > 0) return;
        await RunAsync(() => Task.FromResult(true), cancellationToken);
    }

    private async Task<Outcome<T>> AttemptAsync<T>(IIdempotentCommand? once, string? hash, bool lookUp, Func<Task<T>> work,
        CancellationToken cancellationToken)
    {
        var outcome = await TryAttemptAsync(once, hash, lookUp, work, cancellationToken);
        if (!outcome.Replayed) return outcome;
        await RecordFactsAsync(cancellationToken); // a replayed request's nonce is spent like any other's
        return outcome;
    }

    private async Task<Outcome<T>> TryAttemptAsync<T>(IIdempotentCommand? once, string? hash, bool lookUp, Func<Task<T>> work,
        CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        writes.Clear();
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using var transaction = await AttemptTransaction.BeginAsync(db, cancellationToken);
            var first = new FirstBatch(this, lookUp ? once : null, hash, _factsRecorded ? [] : [.. _facts]);
            _first = first;
            T result;
            _depth++;
            try
            {
                // A retry looks the first answer up before anything else: its first attempt lost to an identical request.
                if (lookUp) await new StatementBatch(db, this).ExecuteAsync(cancellationToken);
                result = await work();
                // The work sent no statement batch of its own: the facts and the look-up go now, before saving.
                if (!first.Sent) await new StatementBatch(db, this).ExecuteAsync(cancellationToken);
            }
            catch (AlreadyAnswered)
            {
                // Nothing of this attempt stays (a payment code it spent comes back); the facts are recorded below.
                await transaction.RollbackAsync(cancellationToken);
                return first.Answer<T>();
            }
            finally
            {
                _depth--;
                _first = null;
            }
            if (once is not null and not IAnsweredByOwnRecord)
                writes.Insert(new LedgerRequest(once.IdempotencyKey, hash!, JsonSerializer.Serialize(result, LedgerRequest.Json), clock.UtcNow));
            await writes.FlushAsync(cancellationToken);
            if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _factsRecorded = true;
            return new Outcome<T>(result, false);
        }
        finally
        {
            db.ChangeTracker.Clear();
            writes.Clear();
        }
    }

    /// <summary>
    /// What the transaction's first round trip carries besides the work's own statements: the request's facts
    /// first (the nonce), then, after the work's statements (so after its account is locked: a racing
    /// identical request has committed by then), the idempotency record's look-up.
    /// </summary>
    private sealed class FirstBatch(Transactions owner, IIdempotentCommand? once, string? hash, IReadOnlyList<IRequestFact> facts)
    {
        private string? _firstHash;
        private string? _firstResult;
        private object? _firstAnswer;

        public bool Sent { get; private set; }

        public void AddFactsTo(StatementBatch batch)
        {
            foreach (var fact in facts) fact.AddTo(batch);
        }

        public void AddLookUpTo(StatementBatch batch)
        {
            Sent = true;
            if (once is null) return;
            batch.Query($"SELECT PayloadHash, Result FROM ledger_requests WHERE RequestKey = {batch.P(once.IdempotencyKey)}", row =>
            {
                _firstHash = row.String(0);
                _firstResult = row.String(1);
            });
            if (once is IAnsweredByOwnRecord own)
                own.AddFirstAnswerQuery(batch, (payloadHash, answer) =>
                {
                    _firstHash ??= payloadHash;
                    _firstAnswer ??= answer;
                });
        }

        /// <summary>The batch failed: a refusal of one of the facts (a reused nonce) replaces the failure.</summary>
        public async Task<Exception?> ExplainAsync(Exception failure, Func<StatementBatch> query, CancellationToken cancellationToken)
        {
            if (failure is DomainException && facts.Count > 0)
            {
                owner._refusedForGood = true; // e.g. the client was disabled: nothing to look up again
                return null;
            }
            foreach (var fact in facts)
            {
                if (await fact.ExplainAsync(failure, query(), cancellationToken) is not { } explained) continue;
                if (explained is DomainException) owner._refusedForGood = true;
                return explained;
            }
            return null;
        }

        /// <summary>After the batch: a first answer ends the work here; the same key with another payload is refused.</summary>
        public void Check()
        {
            if (_firstHash is null) return;
            if (_firstHash != hash)
            {
                owner._refusedForGood = true;
                throw new DomainException(once!.KeyReused);
            }
            throw new AlreadyAnswered();
        }

        public Outcome<T> Answer<T>() =>
            new(_firstResult is not null ? JsonSerializer.Deserialize<T>(_firstResult, LedgerRequest.Json)! : (T)_firstAnswer!, true);
    }

    /// <summary>Unwinds the work when the first batch found the command's first answer.</summary>
    private sealed class AlreadyAnswered() : Exception("The command was applied already; its first answer is returned.");

    /// <summary>Called by <see cref="StatementBatch"/>: the first batch of a transaction carries the facts and the look-up.</summary>
    internal (Action<StatementBatch> Before, Action<StatementBatch> After, Func<Exception, CancellationToken, Task<Exception?>> Explain, Action Check)? TakeFirstBatch()
    {
        if (_first is not { Sent: false } first) return null;
        return (first.AddFactsTo, first.AddLookUpTo, (e, ct) => first.ExplainAsync(e, () => new StatementBatch(db, null), ct), first.Check);
    }

    /// <summary>After a refusal: the first answer of an identical request, if one committed meanwhile (and the facts, recorded now).</summary>
    private async Task<Outcome<T>?> FirstAnswerAsync<T>(IIdempotentCommand once, string hash, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                await using var transaction = await AttemptTransaction.BeginAsync(db, cancellationToken);
                var first = new FirstBatch(this, once, hash, _factsRecorded ? [] : [.. _facts]);
                _first = first;
                Outcome<T>? answer = null;
                try
                {
                    await new StatementBatch(db, this).ExecuteAsync(cancellationToken);
                }
                catch (AlreadyAnswered)
                {
                    answer = first.Answer<T>();
                }
                finally
                {
                    _first = null;
                }
                await transaction.CommitAsync(cancellationToken);
                _factsRecorded = true;
                return answer;
            }
            catch (Exception e) when (attempt < MaxAttempts && DbErrors.IsTransient(e))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
    }
}
