using System.Security.Cryptography;
using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Identity;

/// <summary>
/// An HQ (总部) console account with a local password. Repeated failures lock the account for a while,
/// counted in the database so that every instance agrees.
/// </summary>
public sealed class HqAdmin
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private HqAdmin() { }

    public HqAdmin(string userName, string displayName, string password, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        UserName = userName;
        DisplayName = displayName;
        PasswordHash = AdminPassword.Hash(password);
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string UserName { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public int FailedAttempts { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastLoginAt { get; private set; }

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Concurrency token: two instances counting failures at once cannot overwrite each other.</summary>
    public int Version { get; private set; }

    public bool PasswordMatches(string password) => AdminPassword.Verify(password, PasswordHash);

    /// <summary>Checks a password attempt and counts it; the caller saves either way.</summary>
    public bool TryLogIn(string password, DateTimeOffset now) => RecordAttempt(PasswordMatches(password), now);

    /// <summary>
    /// Counts an attempt whose password was already checked. A locked account refuses even the right
    /// password; five failures in a row lock it for fifteen minutes; a success forgets the failures.
    /// </summary>
    public bool RecordAttempt(bool passwordMatched, DateTimeOffset now)
    {
        if (IsLockedAt(now)) return false;
        Version++;
        if (passwordMatched)
        {
            FailedAttempts = 0;
            LockedUntil = null;
            LastLoginAt = now;
            return true;
        }
        FailedAttempts++;
        if (FailedAttempts >= MaxFailedAttempts)
        {
            LockedUntil = now + LockoutDuration;
            FailedAttempts = 0;
        }
        return false;
    }

    public void ChangePassword(string password) => PasswordHash = AdminPassword.Hash(password);
}

/// <summary>PBKDF2-HMAC-SHA256 password hashes: <c>pbkdf2-sha256$iterations$salt$hash</c> (base64).</summary>
public static class AdminPassword
{
    private const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>False for a wrong password and for any stored value that is not a hash we made (never throws).</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations) || iterations <= 0) return false;
        var salt = new byte[parts[2].Length];
        var expected = new byte[parts[3].Length];
        if (!Convert.TryFromBase64String(parts[2], salt, out var saltLength) || saltLength == 0) return false;
        if (!Convert.TryFromBase64String(parts[3], expected, out var hashLength) || hashLength != HashBytes) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt.AsSpan(0, saltLength), iterations, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected.AsSpan(0, hashLength));
    }
}

internal sealed class HqAdminConfiguration : IEntityTypeConfiguration<HqAdmin>
{
    public void Configure(EntityTypeBuilder<HqAdmin> b)
    {
        b.ToTable("hq_admins");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserName).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.UserName).IsUnique();
        b.Property(x => x.DisplayName).HasMaxLength(64).IsRequired();
        b.Property(x => x.PasswordHash).HasMaxLength(200).IsRequired();
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}
