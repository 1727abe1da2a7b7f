using System.Security.Claims;
using System.Security.Cryptography;
using Guide.Domain.Common;
using Guide.Domain.Identity;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Guide.Api.Auth;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HMAC key for our JWTs (base64 of at least 32 bytes). Shared by every instance.</summary>
    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "guide";
    public TimeSpan MemberTokenLifetime { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan GuideTokenLifetime { get; set; } = TimeSpan.FromHours(12);
    public TimeSpan AdminTokenLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>How far an integration request's timestamp may be from our clock.</summary>
    public TimeSpan IntegrationTimestampWindow { get; set; } = TimeSpan.FromMinutes(5);

    public static string AudienceOf(string scheme) => scheme switch
    {
        Audiences.Member => "guide-mp",
        Audiences.Guide => "guide-workbench",
        Audiences.Admin => "guide-hq",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    public SymmetricSecurityKey Key() => new(Convert.FromBase64String(SigningKey)) { KeyId = "guide-1" };

    /// <summary>
    /// No key configured: outside Production, one is made and kept in the data folder so that tokens
    /// survive a restart; in Production the host refuses to start.
    /// </summary>
    public static string LoadOrCreateDevelopmentKey(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var path = Path.Combine(dataFolder, "jwt-signing.key");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, key);
        return key;
    }
}

public sealed record IssuedToken(string AccessToken, string TokenType, long ExpiresIn);

/// <summary>Issues the JWTs of the three human audiences after their log-in succeeded.</summary>
public sealed class TokenIssuer(Microsoft.Extensions.Options.IOptions<AuthOptions> options, BrandClock clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public IssuedToken ForMember(ShopperSession session) =>
        Issue(Audiences.Member, session.MemberId, options.Value.MemberTokenLifetime, []);

    public IssuedToken ForGuide(GuideSession session) =>
        Issue(Audiences.Guide, session.GuideId, options.Value.GuideTokenLifetime,
        [
            new(GuideClaims.Role, session.Role switch
            {
                GuideRole.StoreManager => GuideClaims.RoleStoreManager,
                GuideRole.AreaManager => GuideClaims.RoleAreaManager,
                _ => GuideClaims.RoleGuide,
            }),
            new(GuideClaims.StoreId, session.StoreId.ToString()),
            new(GuideClaims.Name, session.Name),
        ]);

    public IssuedToken ForAdmin(AdminSession session) =>
        Issue(Audiences.Admin, session.AdminId, options.Value.AdminTokenLifetime,
            [new(GuideClaims.Role, GuideClaims.RoleHq), new(GuideClaims.Name, session.DisplayName)]);

    private IssuedToken Issue(string scheme, Guid subject, TimeSpan lifetime, IEnumerable<Claim> claims)
    {
        var now = clock.UtcNow;
        var o = options.Value;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = AuthOptions.AudienceOf(scheme),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Subject = new ClaimsIdentity(claims.Append(new Claim(GuideClaims.Subject, subject.ToString()))),
            SigningCredentials = new SigningCredentials(o.Key(), SecurityAlgorithms.HmacSha256),
        };
        return new IssuedToken(_handler.CreateToken(descriptor), "Bearer", (long)lifetime.TotalSeconds);
    }
}
