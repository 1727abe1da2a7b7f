using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Guide.Domain.Weixin;
using Guide.Weixin.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Weixin;

/// <summary>
/// Access tokens in the database, shared by every instance. Each call uses its own short-lived context,
/// outside any business transaction: a token fetched during a command that later fails is still good.
/// The refresh lease is a conditional UPDATE, so exactly one instance refreshes at a time.
/// </summary>
public sealed class DbAccessTokenStore(IServiceScopeFactory scopes, BrandClock clock) : IAccessTokenStore
{
    public async Task<StoredAccessToken?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();
        var row = await db.WeixinAccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Key == key, cancellationToken);
        return row is { Value: { } value, ExpiresAt: { } expiresAt } ? new StoredAccessToken(value, expiresAt) : null;
    }

    public async Task SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();
        await EnsureRowAsync(db, key, cancellationToken);
        await db.WeixinAccessTokens.Where(t => t.Key == key).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Value, token.Value)
            .SetProperty(t => t.ExpiresAt, token.ExpiresAt), cancellationToken);
    }

    public async Task<bool> TryAcquireRefreshLeaseAsync(string key, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();
        await EnsureRowAsync(db, key, cancellationToken);
        var now = clock.UtcNow;
        DateTimeOffset? until = now + lease;
        var taken = await db.WeixinAccessTokens
            .Where(t => t.Key == key && (t.LeaseUntil == null || t.LeaseUntil < now || t.LeaseHolder == holder))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseHolder, holder).SetProperty(t => t.LeaseUntil, until), cancellationToken);
        return taken == 1;
    }

    public async Task ReleaseRefreshLeaseAsync(string key, string holder, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();
        await db.WeixinAccessTokens.Where(t => t.Key == key && t.LeaseHolder == holder).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.LeaseHolder, (string?)null)
            .SetProperty(t => t.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }

    private static async Task EnsureRowAsync(GuideDbContext db, string key, CancellationToken cancellationToken)
    {
        if (await db.WeixinAccessTokens.AnyAsync(t => t.Key == key, cancellationToken)) return;
        db.WeixinAccessTokens.Add(new WeixinAccessToken(key));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another instance made the row first: that is all we wanted.
        }
        db.ChangeTracker.Clear();
    }
}
