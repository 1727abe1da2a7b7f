using Guide.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Guide.Api.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddGuideAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string dataFolder, bool runningCommand)
    {
        var options = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrWhiteSpace(options.SigningKey) && runningCommand)
        {
            // migrate / create-admin issue no tokens: they need no key, and a deployment step need not hold it.
            options.SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }
        else if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            if (environment.IsProduction())
                throw new InvalidOperationException("Auth:SigningKey is required in Production (base64 of at least 32 random bytes).");
            options.SigningKey = AuthOptions.LoadOrCreateDevelopmentKey(dataFolder);
        }
        byte[] keyBytes;
        try { keyBytes = Convert.FromBase64String(options.SigningKey); }
        catch (FormatException) { throw new InvalidOperationException("Auth:SigningKey must be base64."); }
        if (keyBytes.Length < 32) throw new InvalidOperationException("Auth:SigningKey must hold at least 32 bytes.");

        services.Configure<AuthOptions>(o =>
        {
            configuration.GetSection(AuthOptions.SectionName).Bind(o);
            o.SigningKey = options.SigningKey;
        });
        services.AddSingleton<TokenIssuer>();

        var auth = services.AddAuthentication();
        foreach (var scheme in new[] { Audiences.Member, Audiences.Guide, Audiences.Admin })
        {
            auth.AddJwtBearer(scheme, jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = AuthOptions.AudienceOf(scheme),
                    IssuerSigningKey = options.Key(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = GuideClaims.Name,
                    RoleClaimType = GuideClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnAuthenticationFailed = context =>
                    {
                        context.HttpContext.Items[ProblemSetup.AuthFailureCodeItem] =
                            context.Exception is SecurityTokenExpiredException ? "auth.token_expired" : "auth.invalid_token";
                        return Task.CompletedTask;
                    },
                };
            });
        }
        auth.AddScheme<AuthenticationSchemeOptions, IntegrationAuthenticationHandler>(Audiences.Integration, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Member, p => p.AddAuthenticationSchemes(Audiences.Member).RequireAuthenticatedUser())
            .AddPolicy(Policies.Guide, p => p.AddAuthenticationSchemes(Audiences.Guide).RequireAuthenticatedUser()
                .RequireRole(GuideClaims.RoleGuide, GuideClaims.RoleStoreManager, GuideClaims.RoleAreaManager))
            .AddPolicy(Policies.StoreManager, p => p.AddAuthenticationSchemes(Audiences.Guide).RequireAuthenticatedUser()
                .RequireRole(GuideClaims.RoleStoreManager, GuideClaims.RoleAreaManager))
            .AddPolicy(Policies.Hq, p => p.AddAuthenticationSchemes(Audiences.Admin).RequireAuthenticatedUser().RequireRole(GuideClaims.RoleHq))
            .AddPolicy(Policies.Integration, p => p.AddAuthenticationSchemes(Audiences.Integration).RequireAuthenticatedUser());
        return services;
    }
}
