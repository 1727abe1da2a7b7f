using System.Security.Cryptography;
using Guide.Api.Auth;

namespace Guide.Api.Tests.Support;

/// <summary>Signs requests the way a POS integration must (see IntegrationAuthenticationHandler).</summary>
public sealed class SigningHandler(string keyId, string secret, Func<DateTimeOffset> clock) : DelegatingHandler
{
    public static void Sign(HttpRequestMessage request, string keyId, string secret, DateTimeOffset at, string? nonce = null, byte[]? body = null)
    {
        body ??= request.Content is null ? [] : request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        nonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var uri = request.RequestUri!;
        var toSign = IntegrationAuthenticationHandler.StringToSign(request.Method.Method, uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString, timestamp, nonce, body);
        request.Headers.Add(IntegrationAuthenticationHandler.KeyIdHeader, keyId);
        request.Headers.Add(IntegrationAuthenticationHandler.TimestampHeader, timestamp);
        request.Headers.Add(IntegrationAuthenticationHandler.NonceHeader, nonce);
        request.Headers.Add(IntegrationAuthenticationHandler.SignatureHeader, IntegrationAuthenticationHandler.Sign(secret, toSign));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!request.Headers.Contains(IntegrationAuthenticationHandler.SignatureHeader))
            Sign(request, keyId, secret, clock(), body: body);
        return await base.SendAsync(request, cancellationToken);
    }
}
