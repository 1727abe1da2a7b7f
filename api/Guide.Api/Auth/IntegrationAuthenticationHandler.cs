using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Guide.Api.Infrastructure;
using Guide.Domain.Common;
using Guide.Domain.Integration;
using Guide.Domain.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Guide.Api.Auth;

/// <summary>
/// POS, ERP and online-mall requests are signed, not bearer tokens:
/// <c>X-Guide-Signature = base64(HMAC-SHA256(secret, METHOD\nPATH_AND_QUERY\nTIMESTAMP\nNONCE\nhex(SHA256(body))\n))</c>
/// with <c>X-Guide-Key-Id</c>, <c>X-Guide-Timestamp</c> (unix seconds) and <c>X-Guide-Nonce</c>.
/// A stale timestamp or a nonce seen before (remembered in the database, so every instance agrees) fails.
/// </summary>
public sealed class IntegrationAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    GuideDbContext db,
    BrandClock clock,
    IOptions<AuthOptions> authOptions,
    IMemoryCache cache,
    IntegrationCaller caller)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string KeyIdHeader = "X-Guide-Key-Id";
    public const string TimestampHeader = "X-Guide-Timestamp";
    public const string NonceHeader = "X-Guide-Nonce";
    public const string SignatureHeader = "X-Guide-Signature";

    /// <summary>The bytes a client signs; clients and tests build it with this same function.</summary>
    public static string StringToSign(string method, string pathAndQuery, string timestamp, string nonce, ReadOnlySpan<byte> body) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData(body))}\n";

    public static string Sign(string secret, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers;
        string keyId = headers[KeyIdHeader].ToString(), timestamp = headers[TimestampHeader].ToString(),
            nonce = headers[NonceHeader].ToString(), signature = headers[SignatureHeader].ToString();
        if (keyId.Length == 0 || timestamp.Length == 0 || nonce.Length == 0 || signature.Length == 0)
            return Fail("integration.missing_signature");
        if (nonce.Length is < 8 or > 64 || keyId.Length > IntegrationClient.KeyIdMaxLength)
            return Fail("integration.bad_signature");

        if (!long.TryParse(timestamp, out var seconds) || seconds is < 0 or > 253402300799 ||
            (clock.UtcNow - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > authOptions.Value.IntegrationTimestampWindow)
            return Fail("integration.stale_timestamp");

        Request.EnableBuffering();
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await Request.Body.CopyToAsync(buffer, Context.RequestAborted);
            Request.Body.Position = 0;
            body = buffer.ToArray();
        }
        var toSign = StringToSign(Request.Method, Request.Path + Request.QueryString, timestamp, nonce, body);

        // The secret comes from a per-instance cache; whether the client is still enabled, at the same revision
        // of its secret, is checked in the database in the request's first round trip (IntegrationCaller).
        var client = await FindClientAsync(keyId, fresh: false);
        if (client is null || !client.Enabled || !Matches(client, toSign, signature)) client = await FindClientAsync(keyId, fresh: true);
        if (client is null) return Fail("integration.unknown_client");
        if (!client.Enabled) return Fail("integration.client_disabled");
        if (!Matches(client, toSign, signature)) return Fail("integration.bad_signature");

        // Only a correctly signed request spends its nonce, so a forger cannot burn a client's nonces.
        caller.Authenticated(new KnownClient(client.Id, client.Revision, client.SecretVersion, client.MayChargeByMemberId), nonce, clock.UtcNow,
            outdated: () => cache.Remove(("integration-client", keyId)));

        var identity = new ClaimsIdentity(
            [new Claim(GuideClaims.Subject, client.Id.ToString()), new Claim(GuideClaims.KeyId, client.KeyId), new Claim(GuideClaims.Name, client.Name)],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private static bool Matches(CachedClient client, string toSign, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(client.Secret, toSign)), Encoding.ASCII.GetBytes(signature));

    /// <summary>What an instance remembers of a client for <see cref="ClientCacheTime"/>: enough to check a signature.</summary>
    private sealed record CachedClient(Guid Id, string KeyId, string Name, string Secret, bool Enabled, int SecretVersion, int Revision, bool MayChargeByMemberId);

    /// <summary>
    /// Clients are read at most every <see cref="ClientCacheTime"/> per instance (a POS sends many requests a
    /// minute), and again at once when the cached one is unknown, disabled or its secret does not match (it may
    /// have been rotated or enabled since).
    /// The cache never decides alone: the request's first transaction refuses a disabled client or an old secret.
    /// </summary>
    private async Task<CachedClient?> FindClientAsync(string keyId, bool fresh)
    {
        var key = ("integration-client", keyId);
        if (!fresh && cache.TryGetValue(key, out CachedClient? cached)) return cached;
        var client = await db.IntegrationClients.AsNoTracking().Where(c => c.KeyId == keyId)
            .Select(c => new CachedClient(c.Id, c.KeyId, c.Name, c.Secret, c.Enabled, c.SecretVersion, c.Revision, c.MayChargeByMemberId)).SingleOrDefaultAsync(Context.RequestAborted);
        if (client is not null) cache.Set(key, client, ClientCacheTime);
        else cache.Remove(key);
        return client;
    }

    public static readonly TimeSpan ClientCacheTime = TimeSpan.FromSeconds(30);

    private AuthenticateResult Fail(string code)
    {
        Context.Items[ProblemSetup.AuthFailureCodeItem] = code;
        return AuthenticateResult.Fail(code);
    }
}
