using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Guide.Weixin.Tokens;

/// <summary>A token (or ticket) fresh from Tencent and how long it lives.</summary>
public sealed record FetchedAccessToken(string Value, TimeSpan ExpiresIn);

/// <summary>
/// Fetches a new token. <c>rejectedToken</c> is the token Tencent has just refused (40001/42001/40014),
/// or null for an ordinary refresh before expiry.
/// </summary>
public delegate Task<FetchedAccessToken> AccessTokenFetcher(string? rejectedToken, CancellationToken cancellationToken);

/// <summary>
/// Reads access tokens and tickets from the shared <see cref="IAccessTokenStore"/> and refreshes them
/// about five minutes before expiry, one refresher at a time across instances (the store's lease), so
/// that instances never refresh in a stampede and invalidate each other's tokens.
/// </summary>
public sealed class AccessTokenProvider
{
    /// <summary>Refresh this long before expiry; stable_token itself hands out a new token 5 minutes early.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LeaseWaitLimit = TimeSpan.FromSeconds(10);

    private readonly IAccessTokenStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<AccessTokenProvider> _logger;
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    // One refresher per key inside this process too, so concurrent callers queue instead of polling the store.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _localLocks = new();

    public AccessTokenProvider(IAccessTokenStore store, TimeProvider time, ILogger<AccessTokenProvider> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// A usable token for <paramref name="key"/>. Pass <paramref name="rejectedToken"/> after Tencent refused
    /// a token: unless another caller has already replaced it, a new one is fetched.
    /// </summary>
    public async Task<string> GetAsync(string key, AccessTokenFetcher fetch, string? rejectedToken = null,
        CancellationToken cancellationToken = default)
    {
        var stored = await _store.FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (IsUsable(stored, rejectedToken)) return stored!.Value;

        var gate = _localLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var waitUntil = _time.GetUtcNow() + LeaseWaitLimit;
            while (true)
            {
                stored = await _store.FindAsync(key, cancellationToken).ConfigureAwait(false);
                if (IsUsable(stored, rejectedToken)) return stored!.Value;

                if (await _store.TryAcquireRefreshLeaseAsync(key, _holder, Lease, cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        // Another instance may have saved a token between our read and the lease.
                        stored = await _store.FindAsync(key, cancellationToken).ConfigureAwait(false);
                        if (IsUsable(stored, rejectedToken)) return stored!.Value;
                        return await FetchAndSaveAsync(key, fetch, rejectedToken, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        await _store.ReleaseRefreshLeaseAsync(key, _holder, CancellationToken.None).ConfigureAwait(false);
                    }
                }

                if (_time.GetUtcNow() >= waitUntil)
                {
                    // The holder is stuck or gone; both token APIs hand out the current token in their normal
                    // mode, so fetching without the lease is safe, only less economical.
                    _logger.LogWarning("Refresh lease of {TokenKey} still held after {Wait}; refreshing without it", key, LeaseWaitLimit);
                    return await FetchAndSaveAsync(key, fetch, rejectedToken, cancellationToken).ConfigureAwait(false);
                }
                await Task.Delay(LeasePoll, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private bool IsUsable(StoredAccessToken? token, string? rejectedToken) =>
        token is not null
        && token.Value != rejectedToken
        && token.ExpiresAt - _time.GetUtcNow() > RefreshMargin;

    private async Task<string> FetchAndSaveAsync(string key, AccessTokenFetcher fetch, string? rejectedToken, CancellationToken ct)
    {
        var fetched = await fetch(rejectedToken, ct).ConfigureAwait(false);
        await _store.SaveAsync(key, new StoredAccessToken(fetched.Value, _time.GetUtcNow() + fetched.ExpiresIn), ct).ConfigureAwait(false);
        // The token itself is a secret: log the key only.
        _logger.LogInformation("Refreshed {TokenKey}, valid for {ExpiresIn}", key, fetched.ExpiresIn);
        return fetched.Value;
    }
}
