using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>
/// DateTime: an RFC 3339 date-time with a time-zone offset. Input as a string such as
/// <c>2024-05-01T12:30:00Z</c>; output normalised to UTC with milliseconds (<c>2024-05-01T12:30:00.000Z</c>).
/// </summary>
public sealed partial class DateTimeType() : ScalarType("DateTime", "An RFC 3339 date-time with an offset, e.g. 2024-05-01T12:30:00Z.", "https://scalars.graphql.org/andimarek/date-time")
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Format();

    public static bool TryParse(string s, out DateTimeOffset value)
    {
        value = default;
        return Format().IsMatch(s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public override object Serialize(object value) => value switch
    {
        DateTimeOffset d => Format(d),
        DateTime d => Format(d.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(d, TimeSpan.Zero) : new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero)),
        string s when TryParse(s, out var d) => Format(d),
        _ => throw Fail($"DateTime cannot represent value: {Inspect(value)}"),
    };

    public override object ParseValue(object value) =>
        AsString(value) is { } s && TryParse(s, out var d) ? d : throw Fail($"DateTime cannot represent value: {Inspect(value)}");

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        literal is StringValueNode s && TryParse(s.Value, out var d) ? d : throw Fail($"DateTime cannot represent value: {Print(literal)}");
}

/// <summary>Date: a calendar date <c>YYYY-MM-DD</c> (RFC 3339 full-date), as <see cref="DateOnly"/>.</summary>
public sealed partial class DateType() : ScalarType("Date", "A calendar date, e.g. 2024-05-01.", "https://scalars.graphql.org/andimarek/local-date")
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex Format();

    public static bool TryParse(string s, out DateOnly value)
    {
        value = default;
        return Format().IsMatch(s) && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    public override object Serialize(object value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => DateOnly.FromDateTime(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        string s when TryParse(s, out var d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw Fail($"Date cannot represent value: {Inspect(value)}"),
    };

    public override object ParseValue(object value) =>
        AsString(value) is { } s && TryParse(s, out var d) ? d : throw Fail($"Date cannot represent value: {Inspect(value)}");

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        literal is StringValueNode s && TryParse(s.Value, out var d) ? d : throw Fail($"Date cannot represent value: {Print(literal)}");
}

/// <summary>UUID: an RFC 4122 UUID in its 8-4-4-4-12 hexadecimal form, output in lower case.</summary>
public sealed partial class UuidType() : ScalarType("UUID", "An RFC 4122 UUID, e.g. 1b4e28ba-2fa1-11d2-883f-0016d3cca427.", "https://www.rfc-editor.org/rfc/rfc4122")
{
    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex Format();

    public static bool TryParse(string s, out Guid value)
    {
        value = default;
        return Format().IsMatch(s) && Guid.TryParseExact(s, "D", out value);
    }

    public override object Serialize(object value) => value switch
    {
        Guid g => g.ToString("D"),
        string s when TryParse(s, out var g) => g.ToString("D"),
        _ => throw Fail($"UUID cannot represent value: {Inspect(value)}"),
    };

    public override object ParseValue(object value) =>
        AsString(value) is { } s && TryParse(s, out var g) ? g : throw Fail($"UUID cannot represent value: {Inspect(value)}");

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        literal is StringValueNode s && TryParse(s.Value, out var g) ? g : throw Fail($"UUID cannot represent value: {Print(literal)}");
}

/// <summary>Long: a signed 64-bit integer, written as a JSON number.</summary>
public sealed class LongType() : ScalarType("Long", "A signed 64-bit integer.")
{
    public override object Serialize(object value) => value switch
    {
        long l => l,
        int i => (long)i,
        short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u when u <= long.MaxValue => (long)u,
        double d when Math.Floor(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18 => (long)d,
        decimal m when decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue => (long)m,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw Fail($"Long cannot represent value: {Inspect(value)}"),
    };

    public override object ParseValue(object value) => value switch
    {
        long l => l,
        int i => (long)i,
        double d when Math.Floor(d) == d && Math.Abs(d) <= 9007199254740991d => (long)d,
        decimal m when decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue => (long)m,
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var l) => l,
        _ => throw Fail($"Long cannot represent value: {Inspect(value)}"),
    };

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        literal is IntValueNode i && long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? l
            : throw Fail($"Long cannot represent value: {Print(literal)}");
}

/// <summary>Decimal: an exact decimal number, written as a JSON number.</summary>
public sealed class DecimalType() : ScalarType("Decimal", "An exact decimal number.")
{
    public override object Serialize(object value) => value switch
    {
        decimal m => m,
        int or long or short or byte or sbyte or ushort or uint or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        double d when !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 7.9e28 => (decimal)d,
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) => m,
        _ => throw Fail($"Decimal cannot represent value: {Inspect(value)}"),
    };

    public override object ParseValue(object value) => value switch
    {
        decimal m => m,
        long or int => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        double d when !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 7.9e28 => (decimal)d,
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetDecimal(out var m) => m,
        _ => throw Fail($"Decimal cannot represent value: {Inspect(value)}"),
    };

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables)
    {
        var text = literal switch
        {
            IntValueNode i => i.Value,
            FloatValueNode f => f.Value,
            _ => null,
        };
        return text is not null && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
            ? m
            : throw Fail($"Decimal cannot represent value: {Print(literal)}");
    }
}

/// <summary>JSON: any JSON value, passed through unchanged.</summary>
public sealed class JsonType() : ScalarType("JSON", "Any JSON value.", "https://www.rfc-editor.org/rfc/rfc8259")
{
    public override object Serialize(object value) => value;

    public override object ParseValue(object value) => value;

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        Untyped(literal, variables) ?? throw Fail("JSON cannot represent an unset variable.");

    private static Dictionary<string, object?> Object(ObjectValueNode node, IReadOnlyDictionary<string, object?>? variables)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var f in node.Fields)
        {
            result[f.Name.Value] = Untyped(f.Value, variables);
        }

        return result;
    }

    private static object? Untyped(ValueNode node, IReadOnlyDictionary<string, object?>? variables) => node switch
    {
        NullValueNode => null,
        IntValueNode i => long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : double.Parse(i.Value, CultureInfo.InvariantCulture),
        FloatValueNode f => double.Parse(f.Value, CultureInfo.InvariantCulture),
        StringValueNode s => s.Value,
        BooleanValueNode b => b.Value,
        EnumValueNode e => e.Value,
        ListValueNode l => l.Values.Select(v => Untyped(v, variables)).ToList(),
        ObjectValueNode o => Object(o, variables),
        VariableNode v => variables is not null && variables.TryGetValue(v.Name.Value, out var value) ? value : null,
        _ => null,
    };
}

/// <summary>The custom scalars this engine ships, by name.</summary>
public static class StandardScalars
{
    public static IReadOnlyList<ScalarType> Create() => [new DateTimeType(), new DateType(), new UuidType(), new LongType(), new DecimalType(), new JsonType()];
}
