using System.Text.Json;

namespace Guide.Api.Tests.Fuzz;

/// <summary>What a value of a schema is, as far as choosing a base value and its mutations goes.</summary>
public enum FuzzKind { String, Integer, Number, Boolean, Uuid, Date, DateTime, Enum, Array, Object }

/// <summary>A resolved schema (references and nullable unions followed).</summary>
public sealed record FuzzSchema(FuzzKind Kind, string? Format, bool Nullable, IReadOnlyList<string> EnumValues,
    IReadOnlyList<FuzzProperty> Properties, FuzzSchema? Items)
{
    public string Describe() => Kind + (Format is null ? "" : "/" + Format);
}

public sealed record FuzzProperty(string Name, FuzzSchema Schema);

public sealed record FuzzParameter(string Name, string In, FuzzSchema Schema);

/// <summary>One operation (path + method) of the OpenAPI document.</summary>
public sealed record FuzzOperation(string Method, string Path, IReadOnlyList<FuzzParameter> Parameters,
    IReadOnlyList<string> BodyContentTypes, FuzzSchema? JsonBody)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>An operation the fuzz does not know how to build requests for: the test fails on it.</summary>
public sealed class NotExercisableException(string message) : Exception(message);

/// <summary>Reads the operations of an OpenAPI 3.1 document as ASP.NET Core writes it.</summary>
public static class OpenApiModel
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    /// <summary>The operations, and for those that cannot be read, why.</summary>
    public static (IReadOnlyList<FuzzOperation> Operations, IReadOnlyList<string> Unreadable) Read(JsonElement document)
    {
        var operations = new List<FuzzOperation>();
        var unreadable = new List<string>();
        var components = document.TryGetProperty("components", out var c) && c.TryGetProperty("schemas", out var s) ? s : default;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var entry in path.Value.EnumerateObject())
            {
                if (!Methods.Contains(entry.Name)) continue;
                var method = entry.Name.ToUpperInvariant();
                try
                {
                    operations.Add(ReadOperation(method, path.Name, path.Value, entry.Value, components));
                }
                catch (NotExercisableException e)
                {
                    unreadable.Add($"{method} {path.Name}: {e.Message}");
                }
            }
        }
        return (operations, unreadable);
    }

    private static FuzzOperation ReadOperation(string method, string path, JsonElement pathItem, JsonElement operation, JsonElement components)
    {
        var parameters = new List<FuzzParameter>();
        foreach (var source in new[] { pathItem, operation })
        {
            if (!source.TryGetProperty("parameters", out var list)) continue;
            foreach (var p in list.EnumerateArray())
            {
                var name = p.GetProperty("name").GetString()!;
                var location = p.GetProperty("in").GetString()!;
                if (location is not ("path" or "query" or "header"))
                    throw new NotExercisableException($"parameter {name} is in '{location}'");
                var schema = p.TryGetProperty("schema", out var ps) ? Resolve(ps, components, 0) : Primitive(FuzzKind.String, null, false);
                parameters.Add(new FuzzParameter(name, location, schema));
            }
        }
        foreach (var segment in path.Split('/').Where(x => x.StartsWith('{')))
        {
            var name = segment.Trim('{', '}');
            if (!parameters.Any(p => p.In == "path" && p.Name == name))
                throw new NotExercisableException($"path parameter {name} is not described");
        }

        var contentTypes = new List<string>();
        FuzzSchema? json = null;
        if (operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content))
        {
            foreach (var type in content.EnumerateObject())
            {
                contentTypes.Add(type.Name);
                if (type.Name == "application/json" && type.Value.TryGetProperty("schema", out var schema))
                    json = Resolve(schema, components, 0);
            }
            // A body that is not JSON (a CSV upload) is exercised by the fuzzer's own raw mode for that operation, or reported.
        }
        return new FuzzOperation(method, path, parameters, contentTypes, json);
    }

    private static FuzzSchema Primitive(FuzzKind kind, string? format, bool nullable) => new(kind, format, nullable, [], [], null);

    public static FuzzSchema Resolve(JsonElement schema, JsonElement components, int depth)
    {
        if (depth > 16) throw new NotExercisableException("schema nests deeper than 16 levels");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/').Last();
            if (components.ValueKind != JsonValueKind.Object || !components.TryGetProperty(name, out var target))
                throw new NotExercisableException($"unresolved reference {reference.GetString()}");
            return Resolve(target, components, depth + 1);
        }
        foreach (var union in new[] { "oneOf", "anyOf" })
        {
            if (!schema.TryGetProperty(union, out var options)) continue;
            var choices = options.EnumerateArray().ToList();
            var nullable = choices.Any(IsNullSchema);
            var real = choices.Where(x => !IsNullSchema(x)).ToList();
            if (real.Count != 1) throw new NotExercisableException($"{union} with {real.Count} non-null choices");
            return Resolve(real[0], components, depth + 1) with { Nullable = nullable };
        }

        var types = new List<string>();
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String) types.Add(type.GetString()!);
            else types.AddRange(type.EnumerateArray().Select(t => t.GetString()!));
        }
        var isNullable = types.Remove("null");
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;

        if (schema.TryGetProperty("enum", out var values))
            return new FuzzSchema(FuzzKind.Enum, format, isNullable, values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String)
                .Select(v => v.GetString()!).ToList(), [], null);
        // ASP.NET Core writes numbers as ["integer", "string"] (they may be read from strings): the number is what counts.
        if (types.Contains("integer")) return Primitive(FuzzKind.Integer, format, isNullable);
        if (types.Contains("number")) return Primitive(FuzzKind.Number, format, isNullable);
        if (types.Count > 1) throw new NotExercisableException($"a value of types {string.Join("|", types)}");
        switch (types.SingleOrDefault())
        {
            case "boolean":
                return Primitive(FuzzKind.Boolean, format, isNullable);
            case "string":
                return Primitive(format switch
                {
                    "uuid" => FuzzKind.Uuid,
                    "date" => FuzzKind.Date,
                    "date-time" => FuzzKind.DateTime,
                    null or "" or "binary" or "byte" or "email" or "uri" or "password" => FuzzKind.String,
                    _ => throw new NotExercisableException($"string format '{format}'"),
                }, format, isNullable);
            case "array":
                if (!schema.TryGetProperty("items", out var items)) throw new NotExercisableException("an array without items");
                return new FuzzSchema(FuzzKind.Array, format, isNullable, [], [], Resolve(items, components, depth + 1));
            case "object" or null when schema.TryGetProperty("properties", out var properties):
                return new FuzzSchema(FuzzKind.Object, format, isNullable, [],
                    properties.EnumerateObject().Select(p => new FuzzProperty(p.Name, Resolve(p.Value, components, depth + 1))).ToList(), null);
            case "object":
                return new FuzzSchema(FuzzKind.Object, format, isNullable, [], [], null);
            default:
                throw new NotExercisableException($"schema {schema.GetRawText()[..Math.Min(120, schema.GetRawText().Length)]}");
        }
    }

    private static bool IsNullSchema(JsonElement schema) =>
        schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null";
}
