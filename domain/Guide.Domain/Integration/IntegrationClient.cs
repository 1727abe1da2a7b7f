using System.Security.Cryptography;
using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Integration;

/// <summary>
/// A system that calls <c>/api/integration</c> (a POS, the ERP, the online mall). It signs every request
/// with HMAC-SHA256 under its shared secret; the secret is shown once, when HQ creates the client.
/// </summary>
public sealed class IntegrationClient
{
    public const int KeyIdMaxLength = 64;

    private IntegrationClient() { }

    public IntegrationClient(string keyId, string name, bool mayChargeByMemberId, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        KeyId = keyId;
        Name = name;
        MayChargeByMemberId = mayChargeByMemberId;
        Secret = NewSecret();
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string KeyId { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>HMAC needs the secret itself, so it is stored, not hashed: keep the database private.</summary>
    public string Secret { get; private set; } = "";
    public bool Enabled { get; private set; } = true;

    /// <summary>
    /// The brand's online mall may charge a wallet by member id (the shopper is logged in there); a POS may not:
    /// it charges with the payment code the member shows, so a leaked till secret cannot drain wallets.
    /// </summary>
    public bool MayChargeByMemberId { get; private set; }

    /// <summary>
    /// Bumped with every new secret. Every request is checked against it (and against <see cref="Enabled"/>)
    /// in the database in its first round trip (<see cref="IntegrationCaller"/>), so a per-instance cache of the
    /// secret never lets a disabled client or an old secret through.
    /// </summary>
    public int SecretVersion { get; private set; }

    /// <summary>
    /// Bumped with every change of the client (enabled, secret, rights). A request's nonce is recorded only
    /// against the revision its instance knows; an outdated one is read again and the request retried on it.
    /// </summary>
    public int Revision { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    public void Disable(DateTimeOffset at)
    {
        Enabled = false;
        Changed(at);
    }

    public void Enable(DateTimeOffset at)
    {
        Enabled = true;
        Changed(at);
    }

    /// <summary>A new secret (shown once); the old one stops working at once on every instance.</summary>
    public string RotateSecret(DateTimeOffset at)
    {
        Secret = NewSecret();
        SecretVersion++;
        Changed(at);
        return Secret;
    }

    public void Update(string name, bool mayChargeByMemberId, DateTimeOffset at)
    {
        Name = name;
        MayChargeByMemberId = mayChargeByMemberId;
        Changed(at);
    }

    private void Changed(DateTimeOffset at)
    {
        Revision++;
        UpdatedAt = at;
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// A nonce an integration client has used. The unique key (client, nonce) makes a replay fail on every
/// instance at once; rows older than the timestamp window are purged by a job.
/// </summary>
public sealed class IntegrationNonce
{
    private IntegrationNonce() { }

    public IntegrationNonce(string keyId, string nonce, DateTimeOffset seenAt)
    {
        KeyId = keyId;
        Nonce = nonce;
        SeenAt = seenAt;
    }

    public string KeyId { get; private set; } = "";
    public string Nonce { get; private set; } = "";
    public DateTimeOffset SeenAt { get; private set; }
}

internal sealed class IntegrationClientConfiguration : IEntityTypeConfiguration<IntegrationClient>, IEntityTypeConfiguration<IntegrationNonce>
{
    public void Configure(EntityTypeBuilder<IntegrationClient> b)
    {
        b.ToTable("integration_clients");
        b.HasKey(x => x.Id);
        b.Property(x => x.KeyId).HasMaxLength(IntegrationClient.KeyIdMaxLength).IsRequired();
        b.HasIndex(x => x.KeyId).IsUnique();
        b.Property(x => x.Name).HasMaxLength(100).IsRequired();
        b.Property(x => x.Secret).HasMaxLength(100).IsRequired();
        b.Property(x => x.Revision).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<IntegrationNonce> b)
    {
        b.ToTable("integration_nonces");
        b.HasKey(x => new { x.KeyId, x.Nonce });
        b.Property(x => x.KeyId).HasMaxLength(IntegrationClient.KeyIdMaxLength);
        b.Property(x => x.Nonce).HasMaxLength(64);
        b.HasIndex(x => x.SeenAt);
    }
}
