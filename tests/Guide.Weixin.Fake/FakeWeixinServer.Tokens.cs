using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Guide.Weixin.Fake;

public sealed partial class FakeWeixinServer
{
    /// <summary>Owners of access tokens: one for the mini program, one per WeCom secret.</summary>
    internal const string MiniProgramOwner = "mp";
    internal const string AgentOwner = "wecom:agent";
    internal const string ContactOwner = "wecom:contact";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(7200);

    private sealed class FakeToken(string value, string owner, DateTimeOffset expiresAt)
    {
        public string Value { get; } = value;
        public string Owner { get; } = owner;
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
        public bool Revoked { get; set; }
    }

    private readonly Dictionary<string, FakeToken> _tokens = new();
    private readonly Dictionary<string, FakeToken> _currentTokens = new();
    private readonly Dictionary<string, DateTimeOffset> _lastForcedRefresh = new();

    /// <summary>Every token issued so far expires now: the next call with one gets 42001.</summary>
    public void ExpireAccessTokens()
    {
        lock (_lock)
        {
            var past = DateTimeOffset.UtcNow.AddSeconds(-1);
            foreach (var token in _tokens.Values) token.ExpiresAt = past;
        }
    }

    /// <summary>Every token issued so far becomes invalid: the next call with one gets 40001.</summary>
    public void RevokeAccessTokens()
    {
        lock (_lock)
        {
            foreach (var token in _tokens.Values) token.Revoked = true;
            _currentTokens.Clear();
        }
    }

    /// <summary>How many distinct access tokens the fake has issued so far.</summary>
    public int IssuedTokenCount
    {
        get { lock (_lock) return _tokens.Count; }
    }

    /// <summary>
    /// The current token of an owner, or a new one. Like stable_token's normal mode (and WeCom's gettoken),
    /// the same token comes back until 5 minutes before expiry; the old one stays valid until it expires.
    /// </summary>
    private (string Value, long ExpiresIn) IssueToken(string owner, bool force = false)
    {
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            _currentTokens.TryGetValue(owner, out var current);
            if (force && current is not null && !current.Revoked)
            {
                // Force mode is rationed: 30 s apart, or nothing is refreshed.
                if (_lastForcedRefresh.TryGetValue(owner, out var last) && now - last < TimeSpan.FromSeconds(30)
                    && current.ExpiresAt > now)
                    return (current.Value, (long)(current.ExpiresAt - now).TotalSeconds);
                current.Revoked = true;
                _lastForcedRefresh[owner] = now;
                current = null;
            }
            if (current is null || current.Revoked || current.ExpiresAt - now <= TimeSpan.FromMinutes(5))
            {
                current = new FakeToken("ACCESS_TOKEN_" + NewId(24), owner, now + TokenLifetime);
                _tokens[current.Value] = current;
                _currentTokens[owner] = current;
            }
            return (current.Value, (long)(current.ExpiresAt - now).TotalSeconds);
        }
    }

    /// <summary>The error of an access_token query parameter, or null when it is valid for the owner.</summary>
    private JsonObject? CheckToken(HttpContext ctx, string owner)
    {
        var value = ctx.Request.Query["access_token"].ToString();
        lock (_lock)
        {
            if (string.IsNullOrEmpty(value)) return Error(41001, "access_token missing");
            if (!_tokens.TryGetValue(value, out var token) || token.Revoked || token.Owner != owner)
                return Error(40001, "invalid credential, access_token is invalid or not latest");
            if (token.ExpiresAt <= DateTimeOffset.UtcNow)
                return Error(42001, "access_token expired");
            return null;
        }
    }

    /// <summary>Runs <paramref name="handler"/> if the request's token is valid for <paramref name="owner"/>.</summary>
    private Func<HttpContext, Task> WithToken(string owner, Func<HttpContext, Task> handler) => async ctx =>
    {
        if (CheckToken(ctx, owner) is { } error)
        {
            await WriteJsonAsync(ctx, error).ConfigureAwait(false);
            return;
        }
        await handler(ctx).ConfigureAwait(false);
    };
}
