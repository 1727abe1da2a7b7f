namespace Guide.Weixin.Tokens;

/// <summary>
/// Where access tokens and tickets live so that every instance shares them (the API implements it on
/// its database). Keys name the account and the secret kind, e.g. <c>mp:{appid}</c>,
/// <c>wecom:{corpid}:agent</c>, <c>wecom:{corpid}:contact</c>.
/// </summary>
public interface IAccessTokenStore
{
    Task<StoredAccessToken?> FindAsync(string key, CancellationToken cancellationToken);

    Task SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the right to refresh <paramref name="key"/> for <paramref name="lease"/>; false when another
    /// holder has it (then wait and read the store again). One refresher at a time, across instances.
    /// </summary>
    Task<bool> TryAcquireRefreshLeaseAsync(string key, string holder, TimeSpan lease, CancellationToken cancellationToken);

    Task ReleaseRefreshLeaseAsync(string key, string holder, CancellationToken cancellationToken);
}

public sealed record StoredAccessToken(string Value, DateTimeOffset ExpiresAt);
