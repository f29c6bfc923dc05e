using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using IncidentLedger.Integrity.Canonical;

namespace IncidentLedger.Integrity.Tests;

public sealed class JsonCanonicalizerTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(json));

    [Fact]
    public void Rfc8785_section_3_2_2_example_is_reproduced()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";
        Assert.Equal(expected, Canonical(input));
    }

    [Fact]
    public void Rfc8785_section_3_2_3_sorts_members_by_utf16_code_units()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        var values = System.Text.Json.JsonDocument.Parse(Canonical(input)).RootElement.EnumerateObject().Select(p => p.Value.GetString()!).ToArray();
        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"],
            values);
    }

    [Fact]
    public void Rfc8785_utf8_bytes_of_the_sorting_example_are_exact()
    {
        var bytes = JsonCanonicalizer.Canonicalize("""{"\u20ac":"x","\r":"y","\ud83d\ude00":"z"}""");
        Assert.Equal("7b225c72223a2279222c22e282ac223a2278222c22f09f9880223a227a227d", Convert.ToHexStringLower(bytes));
    }

    // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical forms.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Rfc8785_appendix_b_numbers(string ieeeHex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(ieeeHex)));
        Assert.Equal(expected, CanonicalJsonWriter.FormatNumber(value));
    }

    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    public void Rfc8785_appendix_b_nan_and_infinity_are_errors(string ieeeHex)
    {
        var value = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(ieeeHex)));
        Assert.Throws<CanonicalizationException>(() => CanonicalJsonWriter.FormatNumber(value));
    }

    [Fact]
    public void Numbers_beyond_double_range_are_rejected()
    {
        Assert.Throws<CanonicalizationException>(() => JsonCanonicalizer.Canonicalize("[1e400]"));
    }

    [Fact]
    public void Duplicate_member_names_are_rejected()
    {
        var error = Assert.Throws<CanonicalizationException>(() => JsonCanonicalizer.Canonicalize("""{"a":1,"b":2,"a":3}"""));
        Assert.Contains("\"a\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lone_surrogates_are_rejected()
    {
        Assert.Throws<CanonicalizationException>(() => JsonCanonicalizer.Canonicalize("""["\ud800"]"""));
    }

    [Fact]
    public void Text_written_raw_and_text_written_with_escapes_have_one_form()
    {
        var raw = JsonCanonicalizer.Canonicalize("""["€ é 😀 "]""");
        Assert.Equal(raw, JsonCanonicalizer.Canonicalize("""["\u20ac \u00e9 \ud83d\ude00 \u007f"]"""));
        Assert.Equal("[\"€ é 😀 \u007f\"]", Encoding.UTF8.GetString(raw));
    }

    [Fact]
    public void Strings_that_are_not_utf8_are_rejected()
    {
        byte[] json = [(byte)'[', (byte)'"', (byte)'a', 0xC3, (byte)'"', (byte)']'];
        Assert.Throws<CanonicalizationException>(() => JsonCanonicalizer.Canonicalize(json));
        byte[] name = [(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        Assert.Throws<CanonicalizationException>(() => JsonCanonicalizer.Canonicalize(name));
    }

    [Fact]
    public void Whitespace_and_member_order_do_not_change_the_bytes()
    {
        Assert.Equal(Canonical("""{"b":[1,2,{"y":1,"x":2}],"a":"s"}"""), Canonical(" { \"a\" : \"s\" ,\n \"b\" : [ 1.0 , 2e0 , { \"x\" : 2 , \"y\" : 1 } ] } "));
    }

    /// <summary>Random doubles, formatted here and by Node's own Number-to-String (the algorithm RFC 8785 adopts), must agree.</summary>
    [Fact]
    public void Random_doubles_format_exactly_as_ecmascript_does()
    {
        var random = new Random(8785);
        var values = new List<double>();
        var buffer = new byte[8];
        while (values.Count < 20_000)
        {
            random.NextBytes(buffer);
            var value = BitConverter.ToDouble(buffer);
            if (double.IsFinite(value))
            {
                values.Add(value);
            }
        }

        // Also the decimal-looking values people actually store: money, percentages, small integers.
        for (var i = 0; i < 5_000; i++)
        {
            values.Add(Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-8, 22)), random.Next(0, 8)));
        }

        var hex = string.Join('\n', values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("x16")));
        var ours = values.Select(CanonicalJsonWriter.FormatNumber).ToArray();
        var theirs = RunNode("""
            let input = ''; process.stdin.on('data', d => input += d); process.stdin.on('end', () => {
              const out = input.split('\n').map(h => String(Buffer.from(h, 'hex').readDoubleBE(0)));
              process.stdout.write(out.join('\n'));
            });
            """, hex).Split('\n');
        Assert.Equal(ours.Length, theirs.Length);
        for (var i = 0; i < ours.Length; i++)
        {
            Assert.True(ours[i] == theirs[i], $"{values[i]:R}: ours {ours[i]}, ECMAScript {theirs[i]}");
        }
    }

    private static string RunNode(string script, string stdin)
    {
        var start = new ProcessStartInfo("node", ["-e", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node is required for this test: install Node.js 20.");
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
