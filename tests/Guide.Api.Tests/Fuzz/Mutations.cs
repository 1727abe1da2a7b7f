using System.Globalization;
using System.Text.Json;

namespace Guide.Api.Tests.Fuzz;

/// <summary>One change to a request: <see cref="RawJson"/> replaces a field's value (null: the field is removed).</summary>
public sealed record Mutation(string Name, string? RawJson);

/// <summary>
/// The hostile values the fuzz tries, by kind of value. Each field gets its kind's values and the type
/// confusions every field gets; query values are URL-encoded text.
/// </summary>
public static class Mutations
{
    public static readonly string LongText = new('x', 10_000);

    /// <summary>NUL, BEL, ESC, CR LF, DEL, a right-to-left override, emoji and a BOM.</summary>
    public const string ControlAndEmoji = "a\u0000\u0001\u0007\u001b\t\r\n\u007f\u202e😀🎉\uFEFFz";

    public static string Json(string text) => JsonSerializer.Serialize(text);

    /// <summary>A field holding the wrong JSON type (each field gets them all).</summary>
    public static IEnumerable<Mutation> TypeConfusions(FuzzSchema schema)
    {
        yield return new("removed", null);
        yield return new("null", "null");
        yield return new("true", "true");
        yield return new("array", "[1,\"a\"]");
        yield return new("object", "{\"a\":1}");
        yield return schema.Kind is FuzzKind.Integer or FuzzKind.Number or FuzzKind.Boolean
            ? new("string for a non-string", Json("fuzz"))
            : new("number for a string", "12345");
    }

    /// <summary>Values of the right JSON type, or nearly, that the field's kind must survive.</summary>
    public static IEnumerable<Mutation> OfKind(FuzzSchema schema, Func<Guid> newGuid, Func<string> baseItem) => schema.Kind switch
    {
        FuzzKind.String =>
        [
            new("10,000 characters", Json(LongText)),
            new("control characters and emoji", Json(ControlAndEmoji)),
            new("lone surrogate", "\"\\ud800\""),
            new("empty string", "\"\""),
            new("whitespace only", "\"   \""),
        ],
        FuzzKind.Integer or FuzzKind.Number =>
        [
            new("number as a string \"100\"", "\"100\""),
            new("long.MaxValue", long.MaxValue.ToString(CultureInfo.InvariantCulture)),
            new("long.MinValue", long.MinValue.ToString(CultureInfo.InvariantCulture)),
            new("-1", "-1"),
            new("0", "0"),
            new("int.MaxValue + 1", "2147483648"),
            new("1e300", "1e300"),
            new("9999999999999999999999", "9999999999999999999999"),
            new("1.5", "1.5"),
        ],
        FuzzKind.Boolean => [new("\"true\"", "\"true\""), new("1", "1")],
        FuzzKind.Uuid =>
        [
            new("not a GUID", Json("not-a-guid")),
            new("empty GUID", Json(Guid.Empty.ToString())),
            new("random GUID", Json(newGuid().ToString())),
            new("GUID in braces", Json(newGuid().ToString("B"))),
        ],
        FuzzKind.Date =>
        [
            new("0001-01-01", Json("0001-01-01")),
            new("9999-12-31", Json("9999-12-31")),
            new("-271821-04-20", Json("-271821-04-20")),
            new("2026-02-30", Json("2026-02-30")),
            new("junk date", Json("yesterday")),
            new("a date-time for a date", Json("9999-12-31T23:59:59Z")),
        ],
        FuzzKind.DateTime =>
        [
            new("0001-01-01T00:00:00Z", Json("0001-01-01T00:00:00Z")),
            new("9999-12-31T23:59:59Z", Json("9999-12-31T23:59:59Z")),
            new("0001-01-01T00:00:00+14:00 (before the first instant)", Json("0001-01-01T00:00:00+14:00")),
            new("9999-12-31T23:59:59-14:00 (after the last instant)", Json("9999-12-31T23:59:59-14:00")),
            new("-271821-04-20T00:00:00Z", Json("-271821-04-20T00:00:00Z")),
            new("2026-02-30T00:00:00Z", Json("2026-02-30T00:00:00Z")),
            new("junk date-time", Json("soon")),
            new("a date for a date-time", Json("2026-01-01")),
        ],
        FuzzKind.Enum =>
        [
            new("unknown enum value", Json("no_such_value")),
            new("enum as a number", "99"),
            new("enum as a numeric string", Json("1")),
            new("empty enum", "\"\""),
            new("enum in upper case", Json((schema.EnumValues.FirstOrDefault() ?? "x").ToUpperInvariant())),
        ],
        FuzzKind.Array =>
        [
            new("empty array", "[]"),
            new("array of null", "[null]"),
            new("array of arrays", "[[]]"),
            new("500 items", "[" + string.Join(",", Enumerable.Repeat(baseItem(), 500)) + "]"),
        ],
        FuzzKind.Object => [new("empty object", "{}")],
        _ => [],
    };

    /// <summary>Query or path values (already URL-encoded) for a parameter of the kind.</summary>
    public static IEnumerable<(string Name, string Value)> ForQuery(FuzzSchema schema, Func<Guid> newGuid)
    {
        yield return ("empty", "");
        yield return ("10,000 characters", LongText);
        yield return ("control characters and emoji", Uri.EscapeDataString(ControlAndEmoji));
        yield return ("a lone percent sign", "%");
        switch (schema.Kind)
        {
            case FuzzKind.Integer or FuzzKind.Number:
                yield return ("-1", "-1");
                yield return ("0", "0");
                yield return ("2147483648", "2147483648");
                yield return ("-2147483649", "-2147483649");
                yield return ("9999999999999999999999", "9999999999999999999999");
                yield return ("1.5", "1.5");
                yield return ("1e3", "1e3");
                yield return ("not a number", "abc");
                break;
            case FuzzKind.Uuid:
                yield return ("not a GUID", "not-a-guid");
                yield return ("empty GUID", Guid.Empty.ToString());
                yield return ("random GUID", newGuid().ToString());
                break;
            case FuzzKind.Date or FuzzKind.DateTime:
                yield return ("0001-01-01", "0001-01-01");
                yield return ("9999-12-31", "9999-12-31");
                yield return ("-271821-04-20", "-271821-04-20");
                yield return ("2026-02-30", "2026-02-30");
                yield return ("junk date", "yesterday");
                yield return ("a date-time", Uri.EscapeDataString("9999-12-31T23:59:59Z"));
                break;
            case FuzzKind.Enum:
                yield return ("unknown enum value", "no_such_value");
                yield return ("enum as a number", "99");
                break;
            case FuzzKind.Boolean:
                yield return ("not a boolean", "maybe");
                break;
            default:
                yield return ("SQL-ish", Uri.EscapeDataString("' OR 1=1 --"));
                yield return ("wildcards", Uri.EscapeDataString("%_%"));
                break;
        }
    }
}
