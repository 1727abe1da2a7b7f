using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Guide.Api.Auth;

namespace Guide.Benchmarks;

/// <summary>The benchmark's side of the API: an HTTP client, a signed POS, and wallets to charge.</summary>
public sealed class ChargeClient(HttpClient http, string keyId, string secret)
{
    public static HttpClient Http(Uri baseAddress) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Creates the benchmark's integration client (with the online mall's right to charge by member id) through the binary's command.</summary>
    public static async Task<ChargeClient> CreateAsync(HttpClient http, string apiDll, Dictionary<string, string> environment, string keyId = "bench-pos")
    {
        var output = await GuideProcess.RunCommandAsync(apiDll, environment, "create-integration-client", keyId, "Benchmark POS", "--may-charge-by-member-id");
        var secret = output.Split('\n').Single(l => l.StartsWith("Secret: ", StringComparison.Ordinal))["Secret: ".Length..].Trim();
        return new ChargeClient(http, keyId, secret);
    }

    /// <summary>Shoppers through the simulator's WeChat, each wallet credited by an HQ adjustment (a ledger entry like any other).</summary>
    public async Task<List<Guid>> MembersWithFloatAsync(int count)
    {
        var hqToken = await LogInAsync("/api/admin/session", new { userName = "hq", password = "simulator-only" });
        var members = new List<Guid>();
        foreach (var i in Enumerable.Range(0, count))
        {
            var response = await http.PostAsJsonAsync("/api/mp/session", new { code = $"bench-{i}" });
            response.EnsureSuccessStatusCode();
            var memberId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("memberId").GetGuid();
            using var credit = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/members/{memberId}/wallet/adjustments")
            {
                Content = JsonContent.Create(new { principal = 1_000_000_000L, gift = 100_000_000L, reason = "benchmark float" }),
            };
            credit.Headers.Authorization = new("Bearer", hqToken);
            credit.Headers.Add("Idempotency-Key", $"bench-float-{i}");
            (await http.SendAsync(credit)).EnsureSuccessStatusCode();
            members.Add(memberId);
        }
        return members;
    }

    /// <summary>One signed POST /api/integration/wallet/charges.</summary>
    public Task<Outcome> ChargeAsync(object body) => PostAsync("/api/integration/wallet/charges", body);

    /// <summary>One signed integration POST of a JSON body (200: succeeded; another 4xx: refused; 5xx or none: error).</summary>
    public async Task<Outcome> PostAsync(string path, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        Sign(request, bytes);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK ? Outcome.Succeeded : (int)response.StatusCode < 500 ? Outcome.Refused : Outcome.Error;
    }

    private async Task<string> LogInAsync(string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private void Sign(HttpRequestMessage request, byte[] body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var toSign = IntegrationAuthenticationHandler.StringToSign("POST", request.RequestUri!.OriginalString, timestamp, nonce, body);
        request.Headers.Add(IntegrationAuthenticationHandler.KeyIdHeader, keyId);
        request.Headers.Add(IntegrationAuthenticationHandler.TimestampHeader, timestamp);
        request.Headers.Add(IntegrationAuthenticationHandler.NonceHeader, nonce);
        request.Headers.Add(IntegrationAuthenticationHandler.SignatureHeader, IntegrationAuthenticationHandler.Sign(secret, toSign));
    }
}
