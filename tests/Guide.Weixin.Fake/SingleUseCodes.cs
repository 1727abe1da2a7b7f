namespace Guide.Weixin.Fake;

/// <summary>What happened when a code was presented.</summary>
internal enum CodeUse
{
    /// <summary>Issued and not used before: it is spent now.</summary>
    Fresh,
    /// <summary>Issued, but spent already (WeChat: 40163 for log-in codes).</summary>
    Used,
    /// <summary>Never issued (WeChat: 40029).</summary>
    Unknown,
}

/// <summary>
/// Codes WeChat hands out for one use (wx.login, getPhoneNumber, WeCom OAuth): the first use spends a code, a
/// second is refused. In lenient (simulator) mode an unknown code is accepted with what <c>lenient</c> invents
/// for it, and may be used again. Thread-safe.
/// </summary>
internal sealed class SingleUseCodes<T>(string prefix, Func<string, T?>? lenient) where T : class
{
    /// <summary>Codes refused in lenient mode as well (WeChat's 40029), e.g. <c>invalid-1</c>.</summary>
    public const string RefusedPrefix = "invalid";

    private readonly Dictionary<string, (T Value, bool Used)> _codes = new();
    private readonly Lock _lock = new();

    public string Issue(T value)
    {
        var code = prefix + FakeWeixinServer.NewId(12);
        lock (_lock) _codes[code] = (value, false);
        return code;
    }

    public CodeUse Take(string code, out T? value)
    {
        lock (_lock)
        {
            if (_codes.TryGetValue(code, out var entry))
            {
                value = entry.Used ? null : entry.Value;
                if (entry.Used) return CodeUse.Used;
                _codes[code] = (entry.Value, true);
                return CodeUse.Fresh;
            }
        }
        // Even lenient, a code starting "invalid" is refused, so that a simulator user can try the error path.
        value = code.Length > 0 && !code.StartsWith(RefusedPrefix, StringComparison.Ordinal) ? lenient?.Invoke(code) : null;
        return value is null ? CodeUse.Unknown : CodeUse.Fresh;
    }
}
