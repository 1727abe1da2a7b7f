using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Ledgers;

/// <summary>
/// A command applied at most once per external fact: a POS charge of one document, a WeChat Pay refund, an
/// HQ adjustment sent with an <c>Idempotency-Key</c>. Its <see cref="IdempotencyKey"/> names the fact and is
/// unique in the database (so this holds across instances); the same key with the same payload answers the
/// first result, with another payload <see cref="KeyReused"/> (409).
/// </summary>
public interface IIdempotentCommand
{
    /// <summary>The external fact, e.g. <c>charge:{client}:{document}</c>; printable ASCII, at most <see cref="LedgerRequest.KeyMaxLength"/>.</summary>
    string IdempotencyKey { get; }

    /// <summary>What must be the same for a resend to be the same request (compared by a hash of its JSON).</summary>
    object IdempotencyPayload { get; }

    /// <summary>The refusal when the key comes back with another payload (e.g. <c>wallet.document_number_reused</c>).</summary>
    DomainError KeyReused { get; }
}

/// <summary>
/// An idempotent command whose own row answers its resends, instead of a <see cref="LedgerRequest"/>: a row the command
/// writes anyway, unique on the same fact (e.g. a charge's (client, document number)), holding the payload's hash and
/// everything of the first result. For the hottest path (the POS charge), where a second record of every request is
/// measurable (one INSERT of the result's JSON into a second unique index on each charge); every other command keeps
/// the ledger_requests row. Resends of a request answered before its row held the hash find its ledger_requests row.
/// </summary>
public interface IAnsweredByOwnRecord : IIdempotentCommand
{
    /// <summary>
    /// Adds to <paramref name="batch"/> the look-up of the command's own row by its fact; for a row found, calls
    /// <paramref name="found"/> with the row's payload hash and the first result (the work's result type).
    /// </summary>
    void AddFirstAnswerQuery(StatementBatch batch, Action<string, object> found);
}

/// <summary>A result that can say it is the first result of an earlier identical request.</summary>
public interface IReplayable<out TSelf>
{
    TSelf AsReplayed();
}

/// <summary>
/// The record of an idempotent command: its key (unique), a hash of its payload, and its first result as
/// JSON, written in the same transaction as the command's own rows. A resend reads it and answers the same.
/// </summary>
public sealed class LedgerRequest
{
    public const int KeyMaxLength = 200;

    private LedgerRequest() { }

    internal LedgerRequest(string key, string payloadHash, string result, DateTimeOffset createdAt)
    {
        RequestKey = key;
        PayloadHash = payloadHash;
        Result = result;
        CreatedAt = createdAt;
    }

    public string RequestKey { get; private set; } = "";
    public string PayloadHash { get; private set; } = "";
    public string Result { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The hash of an idempotency payload (SHA-256 of its JSON, lower-case hex): what a resend must match.</summary>
    internal static string HashOf(object payload) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), Json)));
}

internal sealed class LedgerRequestConfiguration : IEntityTypeConfiguration<LedgerRequest>
{
    public void Configure(EntityTypeBuilder<LedgerRequest> b)
    {
        b.ToTable("ledger_requests");
        b.HasKey(x => x.RequestKey);
        b.Property(x => x.RequestKey).HasMaxLength(LedgerRequest.KeyMaxLength);
        b.Property(x => x.PayloadHash).HasMaxLength(64).IsRequired();
        b.Property(x => x.Result).IsRequired();
        b.HasIndex(x => x.CreatedAt);
    }
}
