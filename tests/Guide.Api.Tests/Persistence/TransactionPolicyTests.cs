using Guide.Api.Tests.Support;
using Guide.Domain.Common;
using Guide.Domain.Integration;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Persistence;

/// <summary>
/// The one transaction policy (Ledgers/Transactions.cs) and the database error classification it relies on,
/// on each provider (the MySQL tests run MariaDB with German messages: classification is by number only).
/// </summary>
public abstract class TransactionPolicyTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private sealed record Probe(string Key, int Value) : IIdempotentCommand
    {
        public string IdempotencyKey => Key;
        public object IdempotencyPayload => new { Value };
        public DomainError KeyReused => DomainError.Conflict("probe.key_reused", "reused");
    }

    private Task InScopeAsync(Func<Transactions, GuideDbContext, Task> work) =>
        Api.InScopeAsync<bool>(async sp =>
        {
            await work(sp.GetRequiredService<Transactions>(), sp.GetRequiredService<GuideDbContext>());
            return true;
        });

    [SkippableFact]
    public async Task An_idempotent_command_applies_once_per_key_and_answers_its_first_result()
    {
        var key = ApiFixture.Unique("probe");
        var runs = 0;
        await InScopeAsync(async (transactions, _) =>
        {
            var first = await transactions.RunAsync(new Probe(key, 1), () => Task.FromResult(++runs * 10), CancellationToken.None);
            Assert.Equal((10, false), (first.Result, first.Replayed));
        });
        await InScopeAsync(async (transactions, _) =>
        {
            var again = await transactions.RunAsync(new Probe(key, 1), () => Task.FromResult(++runs * 10), CancellationToken.None);
            Assert.Equal((10, true), (again.Result, again.Replayed)); // the first answer, whatever the work would answer now
            var other = await Assert.ThrowsAsync<DomainException>(() =>
                transactions.RunAsync(new Probe(key, 2), () => Task.FromResult(++runs * 10), CancellationToken.None));
            Assert.Equal("probe.key_reused", other.Error.Code);
        });
        Assert.Equal(3, runs); // the work ran for the first request, and once more for each resend before its unique key refused it
        Assert.Equal(1, await Api.DbAsync(db => db.Set<LedgerRequest>().CountAsync(r => r.RequestKey == key)));
    }

    [SkippableFact]
    public async Task Nesting_an_idempotent_command_or_joining_a_foreign_transaction_is_a_programming_error()
    {
        await InScopeAsync(async (transactions, _) =>
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => transactions.RunAsync(null, async () =>
                (await transactions.RunAsync(new Probe(ApiFixture.Unique("inner"), 1), () => Task.FromResult(1), CancellationToken.None)).Result,
                CancellationToken.None));
            // A plain command nested in another joins it.
            var joined = await transactions.RunAsync(async () => await transactions.RunAsync(() => Task.FromResult(7), CancellationToken.None), CancellationToken.None);
            Assert.Equal(7, joined);
        });
        await InScopeAsync(async (transactions, db) =>
        {
            await using var foreign = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() => transactions.RunAsync(() => Task.FromResult(1), CancellationToken.None));
        });
    }

    [SkippableFact]
    public async Task Database_errors_are_classified_by_number_not_by_message()
    {
        var keyId = ApiFixture.Unique("dup");
        await Api.SendAsync(new CreateIntegrationClient(keyId, "first"));
        var duplicate = await Assert.ThrowsAsync<DbUpdateException>(() => Api.InScopeAsync(async db =>
        {
            db.IntegrationClients.Add(new IntegrationClient(keyId, "second", false, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }));
        Assert.True(DbErrors.IsUniqueViolation(duplicate));
        Assert.False(DbErrors.IsTransient(duplicate));
        Assert.True(DbErrors.IsRetryable(duplicate));

        var nullKey = await Assert.ThrowsAnyAsync<Exception>(() => Api.InScopeAsync(async db =>
            await db.Database.ExecuteSqlRawAsync("INSERT INTO integration_nonces (KeyId, Nonce, SeenAt) VALUES (NULL, 'n-12345678', 0)")));
        Assert.True(DbErrors.IsNotNullViolation(nullKey), nullKey.ToString());
        Assert.False(DbErrors.IsUniqueViolation(nullKey));
        Assert.False(DbErrors.IsUniqueViolation(new InvalidOperationException("Duplicate entry 'x' for key 'y'"))); // text alone means nothing
    }
}

/// <summary>
/// MySQL's attempt sends no BEGIN of its own: its first command starts the transaction (Ledgers/AttemptTransaction.cs).
/// What that must not change, seen from the data (information_schema.innodb_trx is a cache refreshed every 0.1 s, no
/// witness): READ COMMITTED, EF Core's commands inside the transaction, and a session handed back outside any transaction.
/// </summary>
public sealed class DeferredBeginOnMySql(MySqlApi fixture) : ApiTest<MySqlApi>(fixture), IClassFixture<MySqlApi>
{
    [SkippableFact]
    public async Task The_first_command_starts_a_read_committed_transaction_and_a_failed_attempt_leaves_the_session_without_one()
    {
        var existing = ApiFixture.Unique("seen");
        var added = ApiFixture.Unique("rolled-back");
        await Api.SendAsync(new CreateIntegrationClient(existing, "before"));
        Task<string> NameAsync(GuideDbContext db) => db.IntegrationClients.AsNoTracking().Where(c => c.KeyId == existing).Select(c => c.Name).SingleAsync();
        Task Rename(GuideDbContext db, string name) => db.IntegrationClients.Where(c => c.KeyId == existing).ExecuteUpdateAsync(u => u.SetProperty(c => c.Name, name));

        await Api.InScopeAsync<bool>(async sp =>
        {
            var transactions = sp.GetRequiredService<Transactions>();
            var db = sp.GetRequiredService<GuideDbContext>();
            await db.Database.OpenConnectionAsync(); // one session before, during and after the attempt
            var seen = new List<string>();
            var refused = await Assert.ThrowsAsync<DomainException>(() => transactions.RunAsync<int>(async () =>
            {
                seen.Add(await NameAsync(db)); // an EF query: the attempt's first command, which starts its transaction
                await Api.DbAsync(async other => { await Rename(other, "after"); return true; }); // another session commits
                seen.Add(await NameAsync(db)); // READ COMMITTED sees it; REPEATABLE READ would still read "before"
                db.IntegrationClients.Add(new IntegrationClient(added, "never committed", false, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(); // inside the attempt's transaction, not one of EF's own
                throw new DomainException(DomainError.Conflict("probe.refused", "refused after writing"));
            }, CancellationToken.None));
            Assert.Equal("probe.refused", refused.Error.Code);
            Assert.Equal(["before", "after"], seen);
            // Back on the same session, outside the policy: a statement commits on its own, so it must not be in a transaction.
            await Rename(db, "outside");
            return true;
        });
        Assert.Equal("outside", await Api.DbAsync(NameAsync));
        Assert.Equal(0, await Api.DbAsync(db => db.IntegrationClients.CountAsync(c => c.KeyId == added)));

        // The same work without the refusal commits.
        await Api.InScopeAsync<bool>(async sp =>
        {
            var db = sp.GetRequiredService<GuideDbContext>();
            await sp.GetRequiredService<Transactions>().RunAsync(async () =>
            {
                db.IntegrationClients.Add(new IntegrationClient(added, "committed", false, DateTimeOffset.UtcNow));
                return await db.SaveChangesAsync();
            }, CancellationToken.None);
            return true;
        });
        Assert.Equal("committed", await Api.DbAsync(db => db.IntegrationClients.Where(c => c.KeyId == added).Select(c => c.Name).SingleAsync()));
    }
}

public sealed class TransactionPolicyTestsOnSqlite(SqliteApi fixture) : TransactionPolicyTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class TransactionPolicyTestsOnMySql(MySqlApi fixture) : TransactionPolicyTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
