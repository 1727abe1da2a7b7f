using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Integration;

/// <summary>
/// The integration client (POS, ERP, online mall) behind the current request, as the database says it is
/// now. The API verifies the signature with a briefly cached secret, then <see cref="Authenticated"/> records
/// the request's nonce in the request's first transaction, conditional on the client still being enabled at
/// the same <see cref="IntegrationClient.SecretVersion"/>: a replayed nonce, a disabled client or a rotated secret
/// is refused at once on every instance, at no extra round trip (it rides with the idempotency look-up).
/// </summary>
public sealed class IntegrationCaller(Transactions transactions, GuideDbContext db)
{
    private bool? _mayChargeByMemberId;

    public Guid? ClientId { get; private set; }

    public void Authenticated(Guid clientId, string nonce, int secretVersion, DateTimeOffset at)
    {
        ClientId = clientId;
        transactions.Record(new NonceFact(this, clientId, nonce, secretVersion, at));
    }

    /// <summary>Refuses (403) a charge by member id unless HQ gave this client that right.</summary>
    public async Task RequireMemberIdChargesAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var may = ClientId == clientId && _mayChargeByMemberId is { } known
            ? known
            : await db.IntegrationClients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.MayChargeByMemberId).SingleOrDefaultAsync(cancellationToken);
        if (!may)
            throw new DomainException(DomainError.Forbidden("integration.member_id_not_allowed",
                "This client charges with the member's payment code only; charging by member id is a right HQ gives the online mall."));
    }

    private sealed class NonceFact(IntegrationCaller caller, Guid clientId, string nonce, int secretVersion, DateTimeOffset at) : IRequestFact
    {
        public void AddTo(StatementBatch batch)
        {
            var client = batch.P(clientId);
            batch.Execute($"INSERT INTO integration_nonces (KeyId, Nonce, SeenAt) SELECT KeyId, {batch.P(nonce)}, {batch.P(at)} FROM integration_clients " +
                          $"WHERE Id = {client} AND Enabled = {batch.P(true)} AND SecretVersion = {batch.P(secretVersion)}");
            batch.Query($"SELECT {batch.RowCount}, Enabled, SecretVersion, MayChargeByMemberId FROM integration_clients WHERE Id = {client}", async rows =>
            {
                if (!await rows.ReadAsync()) throw Refused("integration.unknown_client", "No enabled integration client has this key id.");
                var recorded = rows.Long(0) == 1;
                if (!rows.Bool(1)) throw Refused("integration.client_disabled", "HQ disabled this integration client.");
                if (!recorded || rows.Int(2) != secretVersion)
                    throw Refused("integration.bad_signature", "The signature does not match the client's current secret.");
                caller._mayChargeByMemberId = rows.Bool(3);
            });
        }

        public DomainException? Explain(Exception failure) =>
            DbErrors.IsUniqueViolation(failure)
                ? Refused("integration.nonce_reused", "This nonce was used already; every request needs a new one.")
                : null;

        private static DomainException Refused(string code, string message) => new(new DomainError(code, message, ErrorKind.Unauthenticated));
    }
}
