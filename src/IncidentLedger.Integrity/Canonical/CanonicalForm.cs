using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IncidentLedger.Integrity.Canonical;

/// <summary>
/// Decides whether UTF-8 JSON text is already exactly its RFC 8785 form, in one pass over its tokens and
/// without building the canonical copy: no whitespace, member names strictly ascending by UTF-16 code
/// units (so no duplicates), strings escaped minimally, numbers in ECMAScript form, I-JSON values only.
/// Equivalent to <c>JsonCanonicalizer.Canonicalize(text) == text</c>, which the tests hold it to.
/// </summary>
public static class CanonicalForm
{
    /// <summary>Null when <paramref name="utf8"/> is canonical JSON; otherwise why not, in one line.</summary>
    public static string? Problem(ReadOnlySpan<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return "not valid UTF-8";
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = JsonCanonicalizer.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var lastNames = new List<string?>();
        var scratch = new ArrayBufferWriter<byte>(64);
        long expected = 0;
        try
        {
            while (reader.Read())
            {
                var start = reader.TokenStartIndex;
                if (start != expected && !(start == expected + 1 && utf8[(int)expected] is (byte)',' or (byte)':'))
                {
                    return "whitespace between tokens";
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        lastNames.Add(null);
                        break;
                    case JsonTokenType.EndObject:
                        lastNames.RemoveAt(lastNames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (reader.ValueIsEscaped && !MinimallyEscaped(name, utf8.Slice((int)start, reader.ValueSpan.Length + 2), scratch))
                        {
                            return "a member name is not minimally escaped";
                        }

                        if (lastNames[^1] is { } previous && string.CompareOrdinal(previous, name) >= 0)
                        {
                            return string.Equals(previous, name, StringComparison.Ordinal)
                                ? $"Duplicate member name \"{Quote(name)}\": I-JSON requires unique names"
                                : "members are not sorted by their UTF-16 code units";
                        }

                        lastNames[^1] = name;
                        break;
                    case JsonTokenType.String:
                        var text = reader.GetString()!;
                        if (reader.ValueIsEscaped && !MinimallyEscaped(text, utf8.Slice((int)start, reader.ValueSpan.Length + 2), scratch))
                        {
                            return "a string is not minimally escaped";
                        }

                        break;
                    case JsonTokenType.Number:
                        var raw = reader.ValueSpan;
                        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                        {
                            return "a number is outside the IEEE 754 double range that I-JSON allows";
                        }

                        if (!raw.SequenceEqual(Encoding.ASCII.GetBytes(CanonicalJsonWriter.FormatNumber(value))))
                        {
                            return "a number is not in its shortest ECMAScript form";
                        }

                        break;
                }

                expected = reader.BytesConsumed;
            }
        }
        catch (JsonException e)
        {
            return $"not JSON: {e.Message.ReplaceLineEndings(" ")}";
        }
        catch (InvalidOperationException)
        {
            return "a string holds an invalid escape or a lone surrogate, which I-JSON forbids";
        }

        return expected == utf8.Length ? null : "whitespace after the value";
    }

    private static bool MinimallyEscaped(string value, ReadOnlySpan<byte> rawWithQuotes, ArrayBufferWriter<byte> scratch)
    {
        scratch.ResetWrittenCount();
        try
        {
            new CanonicalJsonWriter(scratch).WriteString(value);
        }
        catch (CanonicalizationException)
        {
            return false;
        }

        return scratch.WrittenSpan.SequenceEqual(rawWithQuotes);
    }

    private static string Quote(string name) => string.Concat(name.Take(80).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
