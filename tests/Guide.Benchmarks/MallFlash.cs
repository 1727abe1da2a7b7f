using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>
/// Issue 16's benchmark (a), the flash redemption: <c>requests</c> members (one request each, limit 1 per member)
/// redeem an item with <c>stock</c> units through POST /api/mp/mall/redemptions at <c>concurrency</c> clients.
/// Prints requests per second, p50/p95 of all answers, and the oversells read back from the database (stock below
/// zero, redemptions beyond the stock, points charged without a redemption): all must be 0.
/// </summary>
public static class MallFlash
{
    public static async Task<int> RunAsync(HttpClient http, string connectionString, int requests = 500, int stock = 50, int concurrency = 32)
    {
        var hq = await TokenAsync(http, "/api/admin/session", new { userName = "hq", password = "simulator-only" });
        var members = new (Guid Id, string Token)[requests];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var response = await http.PostAsJsonAsync("/api/mp/session", new { code = $"bench-mall-{Guid.NewGuid():N}" }, ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            members[i] = (body.GetProperty("memberId").GetGuid(), body.GetProperty("accessToken").GetString()!);
            using var credit = Authorized(HttpMethod.Post, $"/api/admin/members/{members[i].Id}/points/adjustments", hq,
                new { points = 100, reason = "benchmark points" });
            credit.Headers.Add("Idempotency-Key", $"bench-points-{members[i].Id:N}");
            (await http.SendAsync(credit, ct)).EnsureSuccessStatusCode();
        });
        using var create = Authorized(HttpMethod.Post, "/api/admin/mall/items", hq,
            new { name = "Flash item", kind = "pickup", pointsPrice = 10, stock, limitTotal = 1, allowedLevels = Array.Empty<int>() });
        var createResponse = await http.SendAsync(create);
        createResponse.EnsureSuccessStatusCode();
        var itemId = (await createResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var latencies = new double[requests];
        var statuses = new int[requests];
        using var slots = new SemaphoreSlim(concurrency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                var before = Stopwatch.GetTimestamp();
                using var request = Authorized(HttpMethod.Post, "/api/mp/mall/redemptions", members[i].Token,
                    new { itemId, quantity = 1, requestId = Guid.NewGuid().ToString() });
                try
                {
                    using var response = await http.SendAsync(request);
                    statuses[i] = (int)response.StatusCode;
                }
                catch (HttpRequestException) { statuses[i] = -1; }
                latencies[i] = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
            }
            finally { slots.Release(); }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        var (left, redemptions, charged, chargedWithout) = await ReadBackAsync(connectionString, itemId);
        var oversells = Math.Max(0, redemptions - stock) + (left < 0 ? 1 : 0) + chargedWithout;
        Console.WriteLine();
        Console.WriteLine($"flash redemption: {requests} requests for {stock} units at {concurrency} clients");
        Console.WriteLine($"  {requests / elapsed,8:0.0} requests/s   p50 {Percentile(0.50),7:0.0} ms   p95 {Percentile(0.95),7:0.0} ms   " +
                          $"200: {statuses.Count(s => s == 200)}  409: {statuses.Count(s => s == 409)}  other: {statuses.Count(s => s is not (200 or 409))}");
        Console.WriteLine($"  stock left {left}, redemptions {redemptions}, members charged {charged}, charged without a redemption {chargedWithout}");
        Console.WriteLine(oversells == 0 ? "  oversells: 0" : $"  OVERSELLS: {oversells}");
        return oversells == 0 && statuses.All(s => s is 200 or 409) ? 0 : 1;
    }

    private static async Task<(long Left, int Redemptions, int Charged, int ChargedWithout)> ReadBackAsync(string connectionString, Guid itemId)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<long> Scalar(string sql)
        {
            await using var command = new MySqlCommand(sql, connection);
            command.Parameters.AddWithValue("@item", itemId.ToString());
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        var left = await Scalar("SELECT Stock FROM mall_items WHERE Id = @item");
        var redemptions = await Scalar("SELECT COUNT(*) FROM mall_redemptions WHERE ItemId = @item");
        var charged = await Scalar("SELECT COUNT(DISTINCT MemberId) FROM points_entries WHERE Kind = 'MallRedemption'");
        var without = await Scalar("SELECT COUNT(*) FROM points_entries e WHERE e.Kind = 'MallRedemption' AND NOT EXISTS " +
                                   "(SELECT 1 FROM mall_redemptions r WHERE r.PointsEntryId = e.Id)");
        return (left, (int)redemptions, (int)charged, (int)without);
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string token, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return request;
    }

    private static async Task<string> TokenAsync(HttpClient http, string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
