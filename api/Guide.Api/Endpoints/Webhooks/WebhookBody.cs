namespace Guide.Api.Endpoints.Webhooks;

/// <summary>A webhook's body as text, read to at most a limit (a declared or an actual length beyond it is refused before it is held).</summary>
public static class WebhookBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxChars"/> (the caller answers 413).</summary>
    public static async Task<string?> ReadAsync(HttpRequest http, int maxChars, CancellationToken cancellationToken)
    {
        if (http.ContentLength > maxChars) return null;
        using var text = new StreamReader(http.Body);
        var buffer = new char[maxChars + 1];
        var length = await text.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return length > maxChars ? null : new string(buffer, 0, length);
    }
}
