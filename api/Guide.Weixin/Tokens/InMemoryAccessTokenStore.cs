namespace Guide.Weixin.Tokens;

/// <summary>
/// A process-local <see cref="IAccessTokenStore"/> for tests and single-instance hosts; the API registers
/// its database-backed store instead so that all instances share tokens.
/// </summary>
public sealed class InMemoryAccessTokenStore(TimeProvider? time = null) : IAccessTokenStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredAccessToken> _tokens = new();
    private readonly Dictionary<string, (string Holder, DateTimeOffset Until)> _leases = new();

    public Task<StoredAccessToken?> FindAsync(string key, CancellationToken cancellationToken)
    {
        lock (_lock) return Task.FromResult(_tokens.GetValueOrDefault(key));
    }

    public Task SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken)
    {
        lock (_lock) _tokens[key] = token;
        return Task.CompletedTask;
    }

    public Task<bool> TryAcquireRefreshLeaseAsync(string key, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_leases.TryGetValue(key, out var current) && current.Holder != holder && current.Until > now)
                return Task.FromResult(false);
            _leases[key] = (holder, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseRefreshLeaseAsync(string key, string holder, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_leases.TryGetValue(key, out var current) && current.Holder == holder)
                _leases.Remove(key);
        }
        return Task.CompletedTask;
    }

    /// <summary>Forgets every token (tests: simulate a cold start).</summary>
    public void Clear()
    {
        lock (_lock) _tokens.Clear();
    }
}
