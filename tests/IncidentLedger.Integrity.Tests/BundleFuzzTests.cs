using System.Text;
using System.Text.Json.Nodes;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>
/// Structured mutations of a genuine, fully signed bundle: every mutation that changes a covered entry must be
/// detected (Tampered) or refused (Malformed), no mutation may be judged Intact, and nothing may throw.
/// </summary>
public sealed class BundleFuzzTests(ITestOutputHelper output)
{
    private static readonly BundleBuilder Genuine = BundleBuilder.Genuine();
    private static readonly BundleVerificationOptions Options = new() { TrustedKeys = [new RememberingVerifier((INoteVerifier)Genuine.LogKey)] };

    /// <summary>
    /// The real log key, remembering each (text, signature) it has judged: the corpus re-presents the same
    /// checkpoints tens of thousands of times, and each distinct pair is still checked by the real verifier once.
    /// </summary>
    private sealed class RememberingVerifier(INoteVerifier inner) : INoteVerifier
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> judged = new();

        public string KeyName => inner.KeyName;

        public uint KeyId => inner.KeyId;

        public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature)
        {
            var key = Convert.ToBase64String([.. text, .. signature]);
            if (!judged.TryGetValue(key, out var ok))
            {
                ok = inner.Verify(text, signature);
                judged[key] = ok;
            }

            return ok;
        }
    }

    private sealed class Tally
    {
        public Dictionary<string, int> Corpus { get; } = [];
        public Dictionary<BundleVerdict, int> Verdicts { get; } = [];
        public List<string> Failures { get; } = [];
        public HashSet<string> Seen { get; } = [];

        public int HeaderKeysOnly { get; set; }
    }

    private static void Run(Tally tally, string family, byte[] mutated, bool touchesEntries)
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(mutated));
        if (!tally.Seen.Add(key) || mutated.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(Genuine.Text())))
        {
            return;
        }

        tally.Corpus[family] = tally.Corpus.GetValueOrDefault(family) + 1;

        // The one-pass canonical-form check must agree with canonicalising and comparing, on every changed line.
        foreach (var line in SplitLines(mutated).Where(l => !GenuineLines.Contains(Convert.ToBase64String(l))))
        {
            bool expected;
            try
            {
                expected = Canonical.JsonCanonicalizer.Canonicalize(line).AsSpan().SequenceEqual(line);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or Canonical.CanonicalizationException or ArgumentException)
            {
                expected = false;
            }

            if ((Canonical.CanonicalForm.Problem(line) is null) != expected)
            {
                tally.Failures.Add($"{family}: CanonicalForm says {Canonical.CanonicalForm.Problem(line) ?? "canonical"}, canonicalising says {(expected ? "canonical" : "not")}, for {Encoding.UTF8.GetString(line)[..Math.Min(200, line.Length)]}");
            }
        }

        BundleReport report;
        try
        {
            report = BundleVerifier.Verify(new MemoryStream(mutated), Options);
        }
        catch (Exception e)
        {
            tally.Failures.Add($"{family}: crashed with {e.GetType().Name}: {e.Message}");
            return;
        }

        tally.Verdicts[report.Verdict] = tally.Verdicts.GetValueOrDefault(report.Verdict) + 1;
        var acceptable = touchesEntries
            ? report.Verdict is BundleVerdict.Tampered or BundleVerdict.Malformed
            : report.Verdict != BundleVerdict.Intact || OnlyVerifierKeysDiffer(mutated);
        if (!touchesEntries && report.Verdict == BundleVerdict.Intact && acceptable)
        {
            tally.HeaderKeysOnly++;
        }

        if (!acceptable)
        {
            tally.Failures.Add($"{family}: judged {report.Verdict} ({report.Finding}) for {Encoding.UTF8.GetString(mutated)[..Math.Min(300, mutated.Length)]}");
        }

        if (report.Finding is { } f && f.Message.Contains('\n', StringComparison.Ordinal))
        {
            tally.Failures.Add($"{family}: a multi-line reason: {f.Message}");
        }
    }

    /// <summary>A verifier that brings its own key ignores the header's verifierKeys, so changing only them changes nothing judged.</summary>
    private static bool OnlyVerifierKeysDiffer(byte[] mutated)
    {
        try
        {
            var header = BundleReader.ReadHeader(mutated.AsSpan(0, Array.IndexOf(mutated, (byte)'\n')));
            var genuine = BundleReader.ReadHeader(Encoding.UTF8.GetBytes(Genuine.Lines()[0]));
            return header.Checkpoints.SequenceEqual(genuine.Checkpoints) && header with { VerifierKeys = genuine.VerifierKeys, Checkpoints = genuine.Checkpoints } == genuine;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static readonly HashSet<string> GenuineLines = [.. Genuine.Lines().Select(l => Convert.ToBase64String(Encoding.UTF8.GetBytes(l)))];

    private static IEnumerable<byte[]> SplitLines(byte[] bytes)
    {
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i == bytes.Length || bytes[i] == (byte)'\n')
            {
                if (i > start)
                {
                    yield return bytes[start..i];
                }

                start = i + 1;
            }
        }
    }

    private static byte[] Bytes(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(BundleBuilder.Join(lines));

    [Fact]
    public void Every_mutation_of_a_genuine_bundle_is_detected_or_refused_and_nothing_crashes()
    {
        Assert.True(BundleVerifier.Verify(Genuine.Text(), Options).IsIntact);
        var tally = new Tally();
        var lines = Genuine.Lines();
        var original = Bytes(lines);

        // 1. Byte replacements in every entry line.
        var offset = Encoding.UTF8.GetByteCount(lines[0]) + 1;
        var lineStarts = new List<int>();
        foreach (var line in lines.Skip(1))
        {
            lineStarts.Add(offset);
            offset += Encoding.UTF8.GetByteCount(line) + 1;
        }

        // Three entry lines (version 1, version 2, the last) get every replacement; every other entry line, a flipped low bit in each byte.
        byte[] replacements = [(byte)'0', (byte)'"', (byte)'\\', (byte)'\n', 0x80];
        int[] thorough = [0, 4, 23];
        for (var entry = 0; entry < Genuine.Events.Count; entry++)
        {
            var start = lineStarts[entry];
            var length = Encoding.UTF8.GetByteCount(lines[entry + 1]);
            for (var i = start; i < start + length; i++)
            {
                var candidates = thorough.Contains(entry) ? replacements.Append((byte)(original[i] ^ 0x20)).Append((byte)(original[i] + 1)) : [(byte)(original[i] ^ 0x01)];
                foreach (var r in candidates)
                {
                    if (r == original[i])
                    {
                        continue;
                    }

                    var mutated = (byte[])original.Clone();
                    mutated[i] = r;
                    Run(tally, "byte replaced", mutated, touchesEntries: true);
                }
            }
        }

        // 2. Member mutations at every object level of every entry, and of the header.
        for (var entry = 0; entry < Genuine.Events.Count; entry++)
        {
            foreach (var (family, node) in MemberMutations(Genuine.EntryNode(entry)))
            {
                var copy = lines.ToList();
                copy[entry + 1] = node;
                Run(tally, family, Bytes(copy), touchesEntries: true);
            }
        }

        foreach (var (family, node) in MemberMutations(Genuine.HeaderNode()))
        {
            var copy = lines.ToList();
            copy[0] = node;
            Run(tally, "header " + family, Bytes(copy), touchesEntries: false);
        }

        // 3. Truncations every 29 bytes, and at each line end.
        for (var n = 0; n < original.Length; n += 29)
        {
            Run(tally, "truncated", original[..n], touchesEntries: true);
        }

        foreach (var start in lineStarts.Skip(1))
        {
            Run(tally, "truncated at a line end", original[..start], touchesEntries: true);
        }

        // 4. Line reorderings, duplications and removals.
        for (var i = 1; i < lines.Count; i++)
        {
            if (i + 1 < lines.Count)
            {
                var swapped = lines.ToList();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                Run(tally, "adjacent lines swapped", Bytes(swapped), touchesEntries: true);
            }

            var doubled = lines.ToList();
            doubled.Insert(i, lines[i]);
            Run(tally, "line duplicated", Bytes(doubled), touchesEntries: true);
            var removed = lines.ToList();
            removed.RemoveAt(i);
            Run(tally, "line removed", Bytes(removed), touchesEntries: true);
        }

        // 5. Unicode and encoding edge cases.
        var text = BundleBuilder.Join(lines);
        foreach (var (family, variant) in UnicodeVariants(text))
        {
            Run(tally, family, variant, touchesEntries: true);
        }

        var corpus = tally.Corpus.Values.Sum();
        output.WriteLine($"fuzz corpus: {corpus} distinct mutated bundles of a genuine {Genuine.Events.Count}-entry, fully signed bundle");
        foreach (var (family, count) in tally.Corpus.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {family}: {count}");
        }

        output.WriteLine($"result: {string.Join(", ", tally.Verdicts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value} {kv.Key}"))}; {tally.Failures.Count} failures (crash, multi-line reason, or a changed covered entry not detected)");
        Assert.True(tally.Failures.Count == 0, string.Join("\n", tally.Failures.Take(40)));
        output.WriteLine($"({tally.HeaderKeysOnly} Intact: header mutations that changed only verifierKeys, which a verifier bringing its own key ignores)");
        Assert.Equal(tally.HeaderKeysOnly, tally.Verdicts.GetValueOrDefault(BundleVerdict.Intact));
        Assert.True(corpus > 10_000, $"corpus {corpus}");
    }

    /// <summary>Duplicate, extra, case-variant, wrong-type and removed members, re-serialised canonically, plus non-canonical orderings.</summary>
    private static IEnumerable<(string Family, string Line)> MemberMutations(JsonObject root)
    {
        foreach (var (obj, path) in Objects(root, ""))
        {
            foreach (var name in obj.Select(kv => kv.Key).ToList())
            {
                JsonObject Copy(out JsonObject target)
                {
                    var clone = root.DeepClone().AsObject();
                    target = Navigate(clone, path);
                    return clone;
                }

                var clone = Copy(out var target);
                target.Remove(name);
                yield return ("member removed", BundleBuilder.Line(clone));

                clone = Copy(out target);
                target[char.ToUpperInvariant(name[0]) + name[1..]] = target[name]?.DeepClone();
                yield return ("case-variant member added", BundleBuilder.Line(clone));

                clone = Copy(out target);
                var value = target[name]?.DeepClone();
                target.Remove(name);
                target[char.ToUpperInvariant(name[0]) + name[1..]] = value;
                yield return ("member renamed to a case variant", BundleBuilder.Line(clone));

                foreach (var wrong in new JsonNode?[] { null, 0, -1, 1.5, "", "x", true, new JsonArray(), new JsonObject(), 9007199254740993 })
                {
                    clone = Copy(out target);
                    target[name] = wrong?.DeepClone();
                    yield return ("member with another type or value", BundleBuilder.Line(clone));
                }

                // A duplicate member, spliced into the canonical text (JSON nodes cannot hold one).
                var line = BundleBuilder.Line(root);
                var needle = $"\"{name}\":";
                var at = line.IndexOf(needle, StringComparison.Ordinal);
                if (at >= 0)
                {
                    yield return ("duplicate member, same value", line.Insert(at, $"{needle}{target[name]?.ToJsonString() ?? "null"},"));
                    yield return ("duplicate member, other value", line.Insert(at, $"{needle}\"shown\","));
                }
            }

            var extra = root.DeepClone().AsObject();
            Navigate(extra, path)["zzExtra"] = "unhashed";
            yield return ("extra member", BundleBuilder.Line(extra));

            // Same members, non-canonical order.
            var reordered = root.DeepClone().AsObject();
            var target2 = Navigate(reordered, path);
            var members = target2.Select(kv => (kv.Key, Value: kv.Value?.DeepClone())).Reverse().ToList();
            if (members.Count > 1)
            {
                target2.Clear();
                foreach (var (k, v) in members)
                {
                    target2[k] = v;
                }

                yield return ("members reordered", reordered.ToJsonString());
            }
        }
    }

    private static IEnumerable<(JsonObject Object, string Path)> Objects(JsonObject node, string path)
    {
        yield return (node, path);
        foreach (var (name, child) in node.ToList())
        {
            if (child is JsonObject o)
            {
                foreach (var inner in Objects(o, path + "/" + name))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonObject Navigate(JsonObject root, string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(root, (o, name) => o[name]!.AsObject());

    private static IEnumerable<(string Family, byte[] Bytes)> UnicodeVariants(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        yield return ("byte order mark", [0xEF, 0xBB, 0xBF, .. utf8]);
        yield return ("CRLF line ends", Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)));
        yield return ("NFD instead of NFC", Encoding.UTF8.GetBytes(text.Replace("Ä", "A\u0308", StringComparison.Ordinal)));
        yield return ("escaped non-ASCII", Encoding.UTF8.GetBytes(text.Replace("Ä", "\\u00c4", StringComparison.Ordinal)));
        yield return ("escaped non-ASCII, upper-case hex", Encoding.UTF8.GetBytes(text.Replace("Ä", "\\u00C4", StringComparison.Ordinal)));
        yield return ("lone surrogate escape", Encoding.UTF8.GetBytes(text.Replace("🤖", "\\ud83e", StringComparison.Ordinal)));
        yield return ("escaped line separator", Encoding.UTF8.GetBytes(text.Replace("\u2028", "\\u2028", StringComparison.Ordinal)));
        yield return ("escaped solidus", Encoding.UTF8.GetBytes(text.Replace(" / ", " \\/ ", StringComparison.Ordinal)));
        yield return ("NUL in a string", Encoding.UTF8.GetBytes(text.Replace("report 3", "report\\u00003", StringComparison.Ordinal)));
        yield return ("zero-width joiner in a string", Encoding.UTF8.GetBytes(text.Replace("report 3", "report\u200d 3", StringComparison.Ordinal)));
        yield return ("full-width digit", Encoding.UTF8.GetBytes(text.Replace("\"severity\":3", "\"severity\":\"３\"", StringComparison.Ordinal)));

        // Overlong and invalid UTF-8 for "/" and for the emoji.
        var slash = text.IndexOf(" / ", StringComparison.Ordinal);
        var at = Encoding.UTF8.GetByteCount(text[..slash]) + 1;
        yield return ("overlong UTF-8", [.. utf8[..at], 0xC0, 0xAF, .. utf8[(at + 1)..]]);
        yield return ("surrogate encoded in UTF-8 (CESU)", [.. utf8[..at], 0xED, 0xA0, 0xBD, .. utf8[(at + 1)..]]);
        yield return ("truncated multi-byte sequence", [.. utf8[..at], 0xF0, 0x9F, .. utf8[(at + 1)..]]);
    }
}
