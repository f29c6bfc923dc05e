using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace IncidentLedger.Integrity.Canonical;

/// <summary>RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value.</summary>
public static class JsonCanonicalizer
{
    /// <summary>Canonicalises JSON text; rejects what I-JSON forbids (duplicate names, non-finite numbers, lone surrogates).</summary>
    public static byte[] Canonicalize(string json)
    {
        using var document = Parse(Encoding.UTF8.GetBytes(json));
        return Canonicalize(document.RootElement);
    }

    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        using var document = Parse(utf8Json.ToArray());
        return Canonicalize(document.RootElement);
    }

    public static byte[] Canonicalize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(element, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(JsonElement element, IBufferWriter<byte> output)
    {
        var writer = new CanonicalJsonWriter(output);
        WriteValue(element, writer, depth: 0);
    }

    /// <summary>Nesting deeper than this is refused rather than risking the stack.</summary>
    public const int MaxDepth = 256;

    private static JsonDocument Parse(byte[] utf8) =>
        JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });

    internal static void WriteValue(JsonElement element, CanonicalJsonWriter writer, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new CanonicalizationException($"JSON nests deeper than {MaxDepth} levels.");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Null: writer.WriteRaw("null"u8); break;
            case JsonValueKind.True: writer.WriteRaw("true"u8); break;
            case JsonValueKind.False: writer.WriteRaw("false"u8); break;
            case JsonValueKind.String: WriteString(element, writer); break;
            case JsonValueKind.Number: writer.WriteNumber(ParseNumber(element)); break;
            case JsonValueKind.Array:
                writer.WriteRaw("["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) { writer.WriteRaw(","u8); }
                    first = false;
                    WriteValue(item, writer, depth + 1);
                }
                writer.WriteRaw("]"u8);
                break;
            case JsonValueKind.Object:
                WriteObject(element, writer, depth);
                break;
            default:
                throw new CanonicalizationException($"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private static void WriteObject(JsonElement element, CanonicalJsonWriter writer, int depth)
    {
        // Each name is read once (JsonProperty.Name decodes it anew on every call).
        var members = new List<(string Name, JsonElement Value)>();
        try
        {
            foreach (var property in element.EnumerateObject())
            {
                members.Add((property.Name, property.Value));
            }
        }
        catch (InvalidOperationException)
        {
            throw new CanonicalizationException("A member name is not valid UTF-8 or holds a lone surrogate, which I-JSON forbids.");
        }

        // RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names.
        members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        writer.WriteRaw("{"u8);
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
                {
                    throw new CanonicalizationException($"Duplicate member name \"{members[i].Name}\": I-JSON requires unique names.");
                }

                writer.WriteRaw(","u8);
            }

            writer.WriteString(members[i].Name);
            writer.WriteRaw(":"u8);
            WriteValue(members[i].Value, writer, depth + 1);
        }

        writer.WriteRaw("}"u8);
    }

    private static void WriteString(JsonElement element, CanonicalJsonWriter writer)
    {
        // Text without escapes is its own canonical form once it is valid UTF-8: JSON text holds no raw quote,
        // backslash or control character, which are all that RFC 8785 escapes.
        var quoted = JsonMarshal.GetRawUtf8Value(element);
        var text = quoted[1..^1];
        if (text.IndexOf((byte)'\\') < 0 && Utf8.IsValid(text))
        {
            writer.WriteRaw(quoted);
            return;
        }

        writer.WriteString(ReadString(element));
    }

    private static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new CanonicalizationException("A string is not valid UTF-8 or holds an invalid escape or a lone surrogate, which I-JSON forbids.");
        }
    }

    private static double ParseNumber(JsonElement element)
    {
        var text = element.GetRawText();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new CanonicalizationException($"The number {text} is outside the IEEE 754 double range that I-JSON allows.");
        }

        return value;
    }
}

/// <summary>Thrown when a value cannot be canonicalised under RFC 8785.</summary>
public sealed class CanonicalizationException(string message) : Exception(message);
