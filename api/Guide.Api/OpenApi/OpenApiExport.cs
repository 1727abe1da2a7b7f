using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Guide.Api.OpenApi;

/// <summary>
/// The OpenAPI document as a build artifact: generated from the mapped endpoints without serving or a
/// database, committed as miniprogram-contracts/openapi.json (the TypeScript client is generated from it).
/// </summary>
public static class OpenApiExport
{
    public const string DocumentName = "v1";

    public static async Task<string> JsonAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
        document.Servers = null; // the serving endpoint fills in the caller's host; an artifact names none
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString().ReplaceLineEndings("\n") + "\n";
    }

    public static async Task WriteAsync(IServiceProvider services, string path)
    {
        var json = await JsonAsync(services);
        await File.WriteAllTextAsync(path, json, new System.Text.UTF8Encoding(false));
        Console.Error.WriteLine($"Wrote {path}.");
    }
}
