using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Guide.Api.Tests.Support;

/// <summary>Base of API test classes: the fixture of the provider, and assertions on problem details.</summary>
public abstract class ApiTest<TFixture>(TFixture fixture) where TFixture : ApiFixture
{
    /// <summary>The fixture; skips the test when its provider is unavailable here (never under CI=true).</summary>
    protected TFixture Api => fixture.Unavailable is { } reason ? throw new SkipException(reason) : fixture;

    protected static Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) => response.JsonAsync();

    /// <summary>Asserts an RFC 9457 problem with the status and stable code; returns the body.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("requestId").GetString()));
        Assert.True(response.Headers.TryGetValues("X-Request-Id", out var ids), "a problem without the X-Request-Id header");
        Assert.Equal(body.GetProperty("requestId").GetString(), ids.Single());
        return body;
    }
}

public static class HttpJson
{
    /// <summary>An HQ money action as the console sends it: JSON body and an Idempotency-Key (a new one unless given).</summary>
    public static Task<HttpResponseMessage> PostWithKeyAsync(this HttpClient client, string url, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    /// <summary>A response body as JSON, for assertions.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
