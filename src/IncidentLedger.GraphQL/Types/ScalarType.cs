using System.Globalization;
using System.Text.Json;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>Raised by a scalar that cannot coerce a value; becomes a GraphQL error with the message.</summary>
public sealed class ScalarCoercionException(string message) : Exception(message);

/// <summary>
/// A scalar type with its three coercions (spec §3.5): result coercion (Serialize), input coercion of
/// variable values (ParseValue) and of literals (ParseLiteral).
/// </summary>
public abstract class ScalarType(string name, string? description = null, string? specifiedByUrl = null) : NamedType(name)
{
    public override TypeKind Kind => TypeKind.Scalar;

    /// <summary>The @specifiedBy URL that describes this scalar's format.</summary>
    public string? SpecifiedByUrl { get; set; } = specifiedByUrl;

    public string? DefaultDescription { get; } = description;

    /// <summary>Result coercion: a resolver's value (never null) to a JSON-ready value.</summary>
    public abstract object Serialize(object value);

    /// <summary>
    /// Input coercion of a variable value (never null). Values arrive as JSON-shaped CLR values: string, bool,
    /// long, double, decimal, IReadOnlyDictionary&lt;string, object?&gt;, IReadOnlyList&lt;object?&gt; or JsonElement.
    /// </summary>
    public abstract object ParseValue(object value);

    /// <summary>Input coercion of a literal (never a NullValueNode, never a top-level variable).</summary>
    public abstract object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables);

    protected static ScalarCoercionException Fail(string message) => new(message);

    protected static string Inspect(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        JsonElement e => e.GetRawText(),
        System.Collections.IDictionary or IReadOnlyDictionary<string, object?> => "{ ... }",
        System.Collections.IEnumerable => "[ ... ]",
        _ => value.ToString() ?? "",
    };

    protected static string Print(ValueNode node) => Printer.Print(node);

    /// <summary>Numbers as double when the value is any CLR number; null otherwise.</summary>
    protected static double? AsDouble(object value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => (double)m,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        ulong ul => ul,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => null,
    };

    protected static string? AsString(object value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        _ => null,
    };
}

/// <summary>The Int scalar: a signed 32-bit integer.</summary>
public sealed class IntType() : ScalarType("Int", "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.")
{
    public override object Serialize(object value)
    {
        switch (value)
        {
            case int i: return i;
            case bool b: return b ? 1 : 0;
            case string s when s.Length > 0 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                return FromNumber(parsed, value);
            case string:
                throw Fail($"Int cannot represent non-integer value: {Inspect(value)}");
        }

        var d = AsDouble(value) ?? throw Fail($"Int cannot represent non-integer value: {Inspect(value)}");
        return FromNumber(d, value);
    }

    private static int FromNumber(double d, object original)
    {
        if (double.IsNaN(d) || double.IsInfinity(d) || Math.Floor(d) != d)
        {
            throw Fail($"Int cannot represent non-integer value: {Inspect(original)}");
        }

        if (d > int.MaxValue || d < int.MinValue)
        {
            throw Fail($"Int cannot represent non 32-bit signed integer value: {Inspect(original)}");
        }

        return (int)d;
    }

    public override object ParseValue(object value)
    {
        if (value is int i)
        {
            return i;
        }

        var d = AsDouble(value);
        if (d is null || double.IsNaN(d.Value) || double.IsInfinity(d.Value) || Math.Floor(d.Value) != d.Value)
        {
            throw Fail($"Int cannot represent non-integer value: {Inspect(value)}");
        }

        if (d > int.MaxValue || d < int.MinValue)
        {
            throw Fail($"Int cannot represent non 32-bit signed integer value: {Inspect(value)}");
        }

        return (int)d.Value;
    }

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables)
    {
        if (literal is not IntValueNode n)
        {
            throw Fail($"Int cannot represent non-integer value: {Print(literal)}");
        }

        if (!int.TryParse(n.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            throw Fail($"Int cannot represent non 32-bit signed integer value: {n.Value}");
        }

        return v;
    }
}

/// <summary>The Float scalar: a double-precision finite number.</summary>
public sealed class FloatType() : ScalarType("Float", "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).")
{
    public override object Serialize(object value)
    {
        double d;
        switch (value)
        {
            case bool b: return b ? 1.0 : 0.0;
            case string s when s.Length > 0 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                d = parsed;
                break;
            default:
                d = AsDouble(value) ?? throw Fail($"Float cannot represent non numeric value: {Inspect(value)}");
                break;
        }

        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw Fail($"Float cannot represent non numeric value: {Inspect(value)}");
        }

        return d;
    }

    public override object ParseValue(object value)
    {
        var d = AsDouble(value);
        if (d is null || double.IsNaN(d.Value) || double.IsInfinity(d.Value))
        {
            throw Fail($"Float cannot represent non numeric value: {Inspect(value)}");
        }

        return d.Value;
    }

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) => literal switch
    {
        IntValueNode i => double.Parse(i.Value, CultureInfo.InvariantCulture),
        FloatValueNode f => double.Parse(f.Value, CultureInfo.InvariantCulture),
        _ => throw Fail($"Float cannot represent non numeric value: {Print(literal)}"),
    };
}

/// <summary>The String scalar: UTF-8 text.</summary>
public sealed class StringType() : ScalarType("String", "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.")
{
    public override object Serialize(object value)
    {
        switch (value)
        {
            case string s: return s;
            case bool b: return b ? "true" : "false";
            case char c: return c.ToString();
            case JsonElement { ValueKind: JsonValueKind.String } e: return e.GetString()!;
        }

        var d = AsDouble(value);
        if (d is { } n && !double.IsNaN(n) && !double.IsInfinity(n))
        {
            return value is double or float ? n.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }

        throw Fail($"String cannot represent value: {Inspect(value)}");
    }

    public override object ParseValue(object value) =>
        AsString(value) ?? throw Fail($"String cannot represent a non string value: {Inspect(value)}");

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        literal is StringValueNode s ? s.Value : throw Fail($"String cannot represent a non string value: {Print(literal)}");
}

/// <summary>The Boolean scalar.</summary>
public sealed class BooleanType() : ScalarType("Boolean", "The `Boolean` scalar type represents `true` or `false`.")
{
    public override object Serialize(object value)
    {
        if (value is bool b)
        {
            return b;
        }

        var d = AsDouble(value);
        if (d is { } n && !double.IsNaN(n) && !double.IsInfinity(n))
        {
            return n != 0;
        }

        throw Fail($"Boolean cannot represent a non boolean value: {Inspect(value)}");
    }

    public override object ParseValue(object value) => value switch
    {
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => throw Fail($"Boolean cannot represent a non boolean value: {Inspect(value)}"),
    };

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) =>
        literal is BooleanValueNode b ? b.Value : throw Fail($"Boolean cannot represent a non boolean value: {Print(literal)}");
}

/// <summary>The ID scalar: an opaque identifier, serialized as a string.</summary>
public sealed class IdType() : ScalarType("ID", "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.")
{
    public override object Serialize(object value)
    {
        switch (value)
        {
            case string s: return s;
            case Guid g: return g.ToString();
        }

        return IntegerText(value) ?? throw Fail($"ID cannot represent value: {Inspect(value)}");
    }

    private static string? IntegerText(object value)
    {
        switch (value)
        {
            case int or long or short or byte or sbyte or ushort or uint or ulong:
                return Convert.ToString(value, CultureInfo.InvariantCulture);
            case bool:
                return null;
        }

        var d = AsDouble(value);
        return d is { } n && Math.Floor(n) == n && !double.IsInfinity(n) ? n.ToString("0", CultureInfo.InvariantCulture) : null;
    }

    public override object ParseValue(object value) =>
        AsString(value) ?? IntegerText(value) ?? throw Fail($"ID cannot represent value: {Inspect(value)}");

    public override object ParseLiteral(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) => literal switch
    {
        StringValueNode s => s.Value,
        IntValueNode i => i.Value,
        _ => throw Fail($"ID cannot represent a non-string and non-integer value: {Print(literal)}"),
    };
}

/// <summary>The built-in scalars, one instance each.</summary>
public static class BuiltInScalars
{
    public static IntType Int { get; } = new() { IsBuiltIn = true };

    public static FloatType Float { get; } = new() { IsBuiltIn = true };

    public static StringType String { get; } = new() { IsBuiltIn = true };

    public static BooleanType Boolean { get; } = new() { IsBuiltIn = true };

    public static IdType ID { get; } = new() { IsBuiltIn = true };

    public static IReadOnlyList<ScalarType> All { get; } = [String, Int, Float, Boolean, ID];

    public static bool IsBuiltInName(string name) => name is "Int" or "Float" or "String" or "Boolean" or "ID";
}
