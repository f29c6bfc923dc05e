using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentLedger.Integrity.Canonical;
using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.Integrity.Bundles;

/// <summary>A bundle line that is not in the documented format; the message says what is wrong, in one line.</summary>
public sealed class BundleFormatException(string message) : FormatException(message);

/// <summary>
/// Strict reading and canonical writing of bundle lines. A line is accepted only when it is valid UTF-8,
/// is exactly the RFC 8785 canonical form of its object (so duplicate or case-variant members,
/// whitespace, escapes and number forms can neither hide nor alter anything), holds exactly the
/// documented members, and each member has its documented type and lexical form.
/// </summary>
public static partial class BundleReader
{
    private static readonly string[] HeaderMembers = ["checkpoints", "format", "origin", "size", "verifierKeys"];
    private static readonly string[] EntryMembers = ["event", "leaf", "position"];
    private static readonly string[] EventMembers = ["data", "eventId", "eventType", "hash", "metadata", "prev", "recordedAt", "schemaVersion", "streamId", "streamType", "version"];
    private static readonly string[] FirstEventMembers = [.. EventMembers.Where(m => m != "prev")];

    public static BundleHeader ReadHeader(ReadOnlySpan<byte> line)
    {
        using var document = ParseCanonical(line.ToArray(), "header");
        var root = document.RootElement;
        RequireMembers(root, HeaderMembers, "the header");
        var format = String(root, "format", "the header");
        if (format != BundleFormat.Format)
        {
            throw new BundleFormatException($"the header's format is \"{Shorten(format)}\", not \"{BundleFormat.Format}\"");
        }

        var origin = String(root, "origin", "the header");
        try
        {
            VerifierKeys.ValidateName(origin);
        }
        catch (FormatException e)
        {
            throw new BundleFormatException($"the header's origin: {Shorten(e.Message)}");
        }

        var keys = Strings(root, "verifierKeys", "the header");
        foreach (var key in keys)
        {
            try
            {
                var (_, _, type, _) = VerifierKeys.Split(key);
                if (type == CosignatureKey.SignatureType)
                {
                    throw new FormatException("it is a witness (cosignature) key, not a log key");
                }

                _ = VerifierKeys.Parse(key);
            }
            catch (FormatException e)
            {
                throw new BundleFormatException($"the header's verifier key \"{Shorten(key)}\" is malformed: {Shorten(e.Message)}");
            }
        }

        return new BundleHeader(format, origin, Integer(root, "size", "the header", 0), keys, Strings(root, "checkpoints", "the header"));
    }

    public static BundleEntry ReadEntry(ReadOnlySpan<byte> line) => ReadEntryInPlace(line.ToArray());

    /// <summary>Reads an entry line without copying it; the entry's data and metadata refer to <paramref name="line"/>.</summary>
    public static BundleEntry ReadEntryInPlace(ReadOnlyMemory<byte> line)
    {
        // Not disposed: the entry's data and metadata elements live in this document (and the garbage collector frees it).
        var document = ParseCanonical(line, "entry");
        var root = document.RootElement;
        RequireMembers(root, EntryMembers, "the entry");
        var position = Integer(root, "position", "the entry", 0);
        var leaf = Hex(root, "leaf", "the entry");
        if (!root.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object)
        {
            throw new BundleFormatException("the entry's event is not an object");
        }

        var version = Integer(e, "version", "the event", 1);
        var members = version > 1 ? EventMembers : FirstEventMembers;
        RequireMembers(e, members, version > 1 ? "an event of version > 1" : "an event of version 1 (which has no prev)");
        var data = Object(e, "data");
        var metadata = Object(e, "metadata");
        if (!metadata.TryGetProperty("actor", out var actor) || actor.ValueKind != JsonValueKind.String || actor.GetString()!.Length == 0)
        {
            throw new BundleFormatException("the event's metadata has no actor (a non-empty string)");
        }

        var streamType = String(e, "streamType", "the event");
        if (!StreamType().IsMatch(streamType))
        {
            throw new BundleFormatException($"the event's streamType \"{Shorten(streamType)}\" is not of the form [a-z][a-z0-9-]{{0,62}}");
        }

        var eventType = String(e, "eventType", "the event");
        if (!EventType().IsMatch(eventType))
        {
            throw new BundleFormatException($"the event's eventType \"{Shorten(eventType)}\" is not of the form [A-Za-z][A-Za-z0-9._-]{{0,127}}");
        }

        var recordedAt = String(e, "recordedAt", "the event");
        try
        {
            BundleFormat.ParseTimestamp(recordedAt);
        }
        catch (FormatException ex)
        {
            throw new BundleFormatException($"the event's recordedAt: {Shorten(ex.Message)}");
        }

        var schemaVersion = Integer(e, "schemaVersion", "the event", 1);
        if (schemaVersion > int.MaxValue)
        {
            throw new BundleFormatException("the event's schemaVersion is too large");
        }

        var ev = new BundleEvent(Uuid(e, "eventId"), Uuid(e, "streamId"), streamType, version, eventType, (int)schemaVersion, recordedAt,
            data, metadata, version > 1 ? Hex(e, "prev", "the event") : null, Hex(e, "hash", "the event"));
        return new BundleEntry(position, leaf, ev);
    }

    /// <summary>The header's canonical line (without the newline).</summary>
    public static byte[] WriteHeader(BundleHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Canonicalize(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", header.Format);
            w.WriteString("origin", header.Origin);
            w.WriteNumber("size", header.Size);
            w.WriteStartArray("verifierKeys");
            foreach (var key in header.VerifierKeys)
            {
                w.WriteStringValue(key);
            }

            w.WriteEndArray();
            w.WriteStartArray("checkpoints");
            foreach (var checkpoint in header.Checkpoints)
            {
                w.WriteStringValue(checkpoint);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>The entry's canonical line (without the newline); prev is omitted for version 1.</summary>
    public static byte[] WriteEntry(BundleEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var e = entry.Event;
        return Canonicalize(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("position", entry.Position);
            w.WriteString("leaf", entry.Leaf);
            w.WriteStartObject("event");
            w.WriteString("eventId", e.EventId.ToString("D"));
            w.WriteString("streamId", e.StreamId.ToString("D"));
            w.WriteString("streamType", e.StreamType);
            w.WriteNumber("version", e.Version);
            w.WriteString("eventType", e.EventType);
            w.WriteNumber("schemaVersion", e.SchemaVersion);
            w.WriteString("recordedAt", e.RecordedAt);
            w.WritePropertyName("data");
            e.Data.WriteTo(w);
            w.WritePropertyName("metadata");
            e.Metadata.WriteTo(w);
            if (e.Prev is not null)
            {
                w.WriteString("prev", e.Prev);
            }

            w.WriteString("hash", e.Hash);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static byte[] Canonicalize(Action<Utf8JsonWriter> write)
    {
        var draft = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(draft, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false }))
        {
            write(writer);
        }

        return JsonCanonicalizer.Canonicalize(draft.WrittenSpan);
    }

    private static JsonDocument ParseCanonical(ReadOnlyMemory<byte> memory, string what)
    {
        var line = memory.Span;
        if (line.IsEmpty)
        {
            throw new BundleFormatException($"the {what} line is empty");
        }

        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            throw new BundleFormatException($"the {what} line is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(memory, new JsonDocumentOptions { MaxDepth = JsonCanonicalizer.MaxDepth });
        }
        catch (JsonException e)
        {
            throw new BundleFormatException($"the {what} line is not JSON: {OneLine(e.Message)}");
        }

        try
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BundleFormatException($"the {what} line is not a JSON object");
            }

            if (CanonicalForm.Problem(line) is { } problem)
            {
                throw new BundleFormatException(problem.StartsWith("Duplicate", StringComparison.Ordinal) || problem.Contains("I-JSON", StringComparison.Ordinal)
                    ? $"the {what} line is not I-JSON: {problem}"
                    : $"the {what} line is not in RFC 8785 canonical form (members sorted, no whitespace, minimal escapes, shortest numbers): {problem}");
            }

            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private static void RequireMembers(JsonElement element, string[] expected, string what)
    {
        // A canonical object lists its members sorted, so exactly the expected (sorted) names, in order, is the fast path.
        // Names are compared exactly (ordinal, case-sensitive); canonical form already ruled out duplicates.
        var i = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (i >= expected.Length || !property.NameEquals(expected[i]))
            {
                i = -1;
                break;
            }

            i++;
        }

        if (i == expected.Length)
        {
            return;
        }

        var names = element.EnumerateObject().Select(p => p.Name).ToList();
        var extra = names.Where(n => !expected.Contains(n, StringComparer.Ordinal)).ToList();
        var missing = expected.Where(n => !names.Contains(n, StringComparer.Ordinal)).ToList();
        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"lacks {string.Join(", ", missing.Select(n => $"\"{Shorten(n)}\""))}");
        }

        if (extra.Count > 0)
        {
            problems.Add($"has undefined {string.Join(", ", extra.Select(n => $"\"{Shorten(n)}\""))}");
        }

        throw new BundleFormatException($"{what} {string.Join(" and ", problems)}");
    }

    private static string String(JsonElement element, string name, string what)
    {
        var value = element.GetProperty(name);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new BundleFormatException($"{what}'s {name} is a {value.ValueKind.ToString().ToLowerInvariant()}, not a string");
        }

        return value.GetString()!;
    }

    private static IReadOnlyList<string> Strings(JsonElement element, string name, string what)
    {
        var value = element.GetProperty(name);
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw new BundleFormatException($"{what}'s {name} is not an array of strings");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static long Integer(JsonElement element, string name, string what, long minimum)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new BundleFormatException($"{what} lacks \"{name}\"");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || n < minimum || n > (1L << 53))
        {
            throw new BundleFormatException($"{what}'s {name} is {Shorten(value.GetRawText())}, not an integer from {minimum}");
        }

        return n;
    }

    private static JsonElement Object(JsonElement element, string name)
    {
        var value = element.GetProperty(name);
        return value.ValueKind == JsonValueKind.Object ? value : throw new BundleFormatException($"the event's {name} is not an object");
    }

    private static string Hex(JsonElement element, string name, string what)
    {
        var text = String(element, name, what);
        return LowerHex().IsMatch(text) ? text : throw new BundleFormatException($"{what}'s {name} \"{Shorten(text)}\" is not 64 lower-case hex digits");
    }

    private static Guid Uuid(JsonElement element, string name)
    {
        var text = String(element, name, "the event");
        return LowerUuid().IsMatch(text) ? Guid.ParseExact(text, "D") : throw new BundleFormatException($"the event's {name} \"{Shorten(text)}\" is not a lower-case hyphenated UUID");
    }

    /// <summary>User data inside a one-line reason: control characters escaped, long values cut.</summary>
    internal static string Shorten(string text)
    {
        var cut = text.Length <= 80 ? text : text[..80] + "…";
        return string.Concat(cut.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    [GeneratedRegex("^[0-9a-f]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LowerHex();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LowerUuid();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex StreamType();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9._-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex EventType();
}
