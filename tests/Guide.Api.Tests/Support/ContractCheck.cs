using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Guide.Api.Tests.Support;

/// <summary>
/// Every answer a test receives is checked against the OpenAPI document the server publishes: its status must
/// be a declared response of the operation, and a problem's <c>code</c> must be one the document lists for that
/// operation and status. A handler that throws a code its endpoint did not declare fails the test that met it.
/// </summary>
public sealed class ContractCheck(Func<Task<OperationContracts>> contracts) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var operation = (await contracts()).Find(request.Method.Method, request.RequestUri!.AbsolutePath);
        if (operation is null) return response; // no route: 404 route.not_found / 405 belong to no operation

        var status = (int)response.StatusCode;
        if (!operation.Responses.TryGetValue(status, out var codes))
            throw new ContractViolationException($"{operation} answered {status}, which its OpenAPI operation does not declare "
                + $"(declared: {string.Join(", ", operation.Responses.Keys)}).{await BodyAsync(response)}");

        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            string? code = null;
            try
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (body.RootElement.TryGetProperty("code", out var value)) code = value.GetString();
            }
            catch (JsonException)
            {
            }
            if (code is "route.not_found" or "request.method_not_allowed") return response; // no endpoint matched (e.g. {id:guid} got "abc")
            if (code is null || !codes.Contains(code))
                throw new ContractViolationException($"{operation} answered {status} with code '{code}', which its OpenAPI operation does not list "
                    + $"for {status} (listed: {string.Join(", ", codes)}).{await BodyAsync(response)}");
        }
        return response;
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? "" : " Body: " + (text.Length > 600 ? text[..600] : text);
    }
}

public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>The operations of an OpenAPI document: path template, method, and per response status the listed problem codes.</summary>
public sealed class OperationContracts
{
    private readonly List<OperationContract> _operations;

    private OperationContracts(List<OperationContract> operations) => _operations = operations;

    public static async Task<OperationContracts> FetchAsync(HttpClient plain)
    {
        var document = await plain.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        return Read(document);
    }

    public static OperationContracts Read(JsonElement document)
    {
        var operations = new List<OperationContract>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^}]+}", "[^/]+") + "/?$");
            var parameters = path.Name.Count(c => c == '{');
            foreach (var method in path.Value.EnumerateObject())
            {
                if (method.Value.ValueKind != JsonValueKind.Object || !method.Value.TryGetProperty("responses", out var responses)) continue;
                var byStatus = new Dictionary<int, HashSet<string>>();
                foreach (var response in responses.EnumerateObject())
                {
                    if (!int.TryParse(response.Name, out var status)) continue;
                    var codes = new HashSet<string>();
                    if (response.Value.TryGetProperty("x-error-codes", out var listed))
                        foreach (var code in listed.EnumerateArray()) codes.Add(code.GetString()!);
                    byStatus[status] = codes;
                }
                operations.Add(new OperationContract(method.Name.ToUpperInvariant(), path.Name, pattern, parameters, byStatus));
            }
        }
        return new OperationContracts(operations.OrderBy(o => o.Parameters).ToList()); // a literal segment wins over a parameter
    }

    public OperationContract? Find(string method, string path) =>
        _operations.FirstOrDefault(o => o.Method == method && o.Pattern.IsMatch(path));
}

public sealed record OperationContract(string Method, string Path, Regex Pattern, int Parameters, IReadOnlyDictionary<int, HashSet<string>> Responses)
{
    public override string ToString() => $"{Method} {Path}";
}
