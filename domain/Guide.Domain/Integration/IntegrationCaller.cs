using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Integration;

/// <summary>What an instance knows of an integration client (from its short-lived cache), as of a revision.</summary>
public sealed record KnownClient(Guid Id, int Revision, int SecretVersion, bool MayChargeByMemberId);

/// <summary>
/// The integration client (POS, ERP, online mall) behind the current request, as the database says it is
/// now. The API verifies the signature with a briefly cached secret; <see cref="Authenticated"/> then records
/// the request's nonce in the request's first transaction, in ONE statement that inserts it only for the
/// client at the revision this instance knows, enabled: a replayed nonce fails on the unique key, a disabled
/// client or a rotated secret is refused, and a client whose rights changed is read again and the request
/// retried on its current rights, at once on every instance and at no extra round trip.
/// </summary>
public sealed class IntegrationCaller(Transactions transactions, GuideDbContext db)
{
    private KnownClient? _client;
    private Action? _outdated;

    public Guid? ClientId => _client?.Id;

    /// <param name="outdated">Called when the database knows a newer revision than <paramref name="client"/> (drop it from caches).</param>
    public void Authenticated(KnownClient client, string nonce, DateTimeOffset at, Action? outdated = null)
    {
        _client = client;
        _outdated = outdated;
        transactions.Record(new NonceFact(this, nonce, at));
    }

    /// <summary>Refuses (403) a charge by member id unless HQ gave this client that right.</summary>
    public async Task RequireMemberIdChargesAsync(Guid clientId, CancellationToken cancellationToken)
    {
        // The nonce was recorded against the known revision, so the known rights are the current ones.
        var may = _client is { } known && known.Id == clientId
            ? known.MayChargeByMemberId
            : await db.IntegrationClients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.MayChargeByMemberId).SingleOrDefaultAsync(cancellationToken);
        if (!may)
            throw new DomainException(DomainError.Forbidden("integration.member_id_not_allowed",
                "This client charges with the member's payment code only; charging by member id is a right HQ gives the online mall."));
    }

    private sealed class NonceFact(IntegrationCaller caller, string nonce, DateTimeOffset at) : IRequestFact
    {
        public void AddTo(StatementBatch batch)
        {
            var client = caller._client!;
            // No row for a disabled or changed client: the NULL key id fails the NOT NULL column, which ExplainAsync reads.
            batch.Execute($"INSERT INTO integration_nonces (KeyId, Nonce, SeenAt) VALUES ((SELECT KeyId FROM integration_clients " +
                          $"WHERE Id = {batch.P(client.Id)} AND Enabled = {batch.P(true)} AND Revision = {batch.P(client.Revision)}), {batch.P(nonce)}, {batch.P(at)})");
        }

        public async Task<Exception?> ExplainAsync(Exception failure, StatementBatch query, CancellationToken cancellationToken)
        {
            if (DbErrors.IsUniqueViolation(failure)) return Refused("integration.nonce_reused", "This nonce was used already; every request needs a new one.");
            if (!DbErrors.IsNotNullViolation(failure)) return null;
            var known = caller._client!;
            KnownClient? current = null;
            var enabled = false;
            query.Query($"SELECT Enabled, Revision, SecretVersion, MayChargeByMemberId FROM integration_clients WHERE Id = {query.P(known.Id)}", row =>
            {
                enabled = row.Bool(0);
                current = new KnownClient(known.Id, row.Int(1), row.Int(2), row.Bool(3));
            });
            await query.ExecuteAsync(cancellationToken);
            caller._outdated?.Invoke();
            if (current is null) return Refused("integration.unknown_client", "No enabled integration client has this key id.");
            if (!enabled) return Refused("integration.client_disabled", "HQ disabled this integration client.");
            if (current.SecretVersion != known.SecretVersion)
                return Refused("integration.bad_signature", "The signature does not match the client's current secret.");
            caller._client = current; // only its rights or name changed: retry on what it is now
            return new RequestFactChanged($"Integration client {known.Id} changed (revision {known.Revision} → {current.Revision}).");
        }

        private static DomainException Refused(string code, string message) => new(new DomainError(code, message, ErrorKind.Unauthenticated));
    }
}
