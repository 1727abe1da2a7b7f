using Guide.Weixin.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guide.Weixin.Http;

/// <summary>
/// The retry rules shared by every call: refresh the token once and retry once when Tencent refuses it,
/// back off and retry only when Tencent is busy or rate-limits for a moment, fail on anything else.
/// </summary>
internal sealed class WeixinCallPolicy(IOptionsMonitor<WeixinOptions> options, AccessTokenProvider tokens, ILogger<WeixinCallPolicy> logger)
{
    /// <summary>40001 invalid credential, 42001 expired, 40014 invalid token.</summary>
    public static bool IsTokenRejected(int code) => code is 40001 or 42001 or 40014;

    /// <summary>
    /// -1 system busy, 45011 "API called too often, try later" (a per-minute limit). 45009, the daily quota,
    /// is deliberately absent: retrying cannot help until tomorrow.
    /// </summary>
    public static bool IsTransient(int code) => code is -1 or 45011;

    public AccessTokenProvider Tokens => tokens;

    public async Task<T> RunAsync<T>(string api, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, o.BusyRetryDelayMilliseconds));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (WeixinApiException e) when (IsTransient(e.ErrorCode) && attempt < o.BusyRetryCount)
            {
                logger.LogWarning("{Api} answered {ErrorCode} ({ErrorMessage}); retry {Attempt} in {Delay}",
                    api, e.ErrorCode, e.ErrorMessage, attempt + 1, delay);
            }
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay *= 2;
        }
    }

    public async Task<T> WithTokenAsync<T>(string tokenKey, AccessTokenFetcher fetch, string api,
        Func<string, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var token = await tokens.GetAsync(tokenKey, fetch, null, ct).ConfigureAwait(false);
        try
        {
            return await RunAsync(api, c => call(token, c), ct).ConfigureAwait(false);
        }
        catch (WeixinApiException e) when (IsTokenRejected(e.ErrorCode))
        {
            logger.LogWarning("{Api} refused the token {TokenKey} with {ErrorCode}; refreshing once", api, tokenKey, e.ErrorCode);
            token = await tokens.GetAsync(tokenKey, fetch, token, ct).ConfigureAwait(false);
            return await RunAsync(api, c => call(token, c), ct).ConfigureAwait(false);
        }
    }
}
