using System.Buffers;
using System.Globalization;
using System.Text;

namespace IncidentLedger.Integrity.Canonical;

/// <summary>Writes the primitives of RFC 8785 canonical JSON; callers emit members already in sorted order.</summary>
public sealed class CanonicalJsonWriter(IBufferWriter<byte> output)
{
    private static readonly byte[] HexDigits = "0123456789abcdef"u8.ToArray();

    public void WriteRaw(ReadOnlySpan<byte> utf8)
    {
        output.Write(utf8);
    }

    /// <summary>RFC 8785 §3.2.2.2: escapes only what JSON requires, control characters as \uXXXX in lower-case hex.</summary>
    public void WriteString(string value)
    {
        var span = output.GetSpan((value.Length * 6) + 2);
        var n = 0;
        span[n++] = (byte)'"';
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': span[n++] = (byte)'\\'; span[n++] = (byte)'"'; break;
                case '\\': span[n++] = (byte)'\\'; span[n++] = (byte)'\\'; break;
                case '\b': span[n++] = (byte)'\\'; span[n++] = (byte)'b'; break;
                case '\f': span[n++] = (byte)'\\'; span[n++] = (byte)'f'; break;
                case '\n': span[n++] = (byte)'\\'; span[n++] = (byte)'n'; break;
                case '\r': span[n++] = (byte)'\\'; span[n++] = (byte)'r'; break;
                case '\t': span[n++] = (byte)'\\'; span[n++] = (byte)'t'; break;
                default:
                    if (c < 0x20)
                    {
                        span[n++] = (byte)'\\'; span[n++] = (byte)'u'; span[n++] = (byte)'0'; span[n++] = (byte)'0';
                        span[n++] = HexDigits[c >> 4]; span[n++] = HexDigits[c & 0xF];
                    }
                    else if (c < 0x80)
                    {
                        span[n++] = (byte)c;
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        n += new Rune(c, value[++i]).EncodeToUtf8(span[n..]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new CanonicalizationException("A string holds a lone surrogate, which I-JSON forbids.");
                    }
                    else
                    {
                        n += new Rune(c).EncodeToUtf8(span[n..]);
                    }

                    break;
            }
        }

        span[n++] = (byte)'"';
        output.Advance(n);
    }

    public void WriteNumber(long value)
    {
        if (value is > MaxSafeInteger or < -MaxSafeInteger)
        {
            WriteNumber((double)value);
            return;
        }

        WriteAscii(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>RFC 8785 §3.2.2.3: the ECMAScript Number-to-String algorithm.</summary>
    public void WriteNumber(double value) => WriteAscii(FormatNumber(value));

    public const long MaxSafeInteger = 9_007_199_254_740_991;

    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new CanonicalizationException("NaN and Infinity have no JSON form.");
        }

        if (value == 0)
        {
            return "0"; // -0 as well
        }

        if (value < 0)
        {
            return "-" + FormatNumber(-value);
        }

        // .NET's "R" is the shortest string that round-trips, as ECMAScript requires; only the layout differs.
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, point), mantissa.AsSpan(point + 1));
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        n -= leadingZeros;
        var k = digits.Length;

        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return string.Concat(digits.AsSpan(0, n), ".", digits.AsSpan(n));
        }

        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }

        var e = n - 1;
        var sign = e >= 0 ? "+" : "-";
        var head = k == 1 ? digits : string.Concat(digits.AsSpan(0, 1), ".", digits.AsSpan(1));
        return head + "e" + sign + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
    }

    private void WriteAscii(string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        output.Advance(ascii.Length);
    }
}
