using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Envelopes;
using JasperFx.Events;

namespace IncidentLedger.EventStore.Writing;

/// <summary>
/// Builds the events of one append as links of their stream's hash chain: each gets its id, its
/// timestamp (truncated to PostgreSQL's microseconds, so the stored value is the hashed one), its
/// metadata headers, the hash of its predecessor and its own envelope hash (docs/verification.md).
/// </summary>
public static class ChainedEvents
{
    /// <summary>Maximum serialised size of one event's data.</summary>
    public const int MaxEventBytes = 256 * 1024;

    public static IReadOnlyList<IEvent> Build(
        Func<object, IEvent> wrap,
        string origin,
        Guid streamId,
        string streamType,
        long currentVersion,
        string? head,
        IReadOnlyList<object> events,
        EventMetadata metadata,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(metadata);
        var recordedAt = EnvelopeHasher.TruncateToMicroseconds(now);
        var metadataJson = MetadataJson(metadata);
        var built = new List<IEvent>(events.Count);
        var prev = head;
        var version = currentVersion;
        foreach (var data in events)
        {
            var descriptor = DomainEvents.Describe(data);
            using var dataJson = DataJson(data);
            var e = wrap(data);
            version++;
            e.Id = Guid.CreateVersion7(recordedAt);
            e.Timestamp = recordedAt;
            e.Version = version;
            var hash = HashOf(data, new EventEnvelope(
                origin, streamId, streamType, version, e.Id, LedgerStore.StoredName(descriptor), descriptor.SchemaVersion,
                recordedAt, dataJson.RootElement, metadataJson, prev is null ? null : Hash.FromHex(prev)));
            e.SetHeader(LedgerStore.Headers.Actor, metadata.Actor);
            SetIfPresent(e, LedgerStore.Headers.Organisation, metadata.Organisation);
            SetIfPresent(e, LedgerStore.Headers.Role, metadata.Role);
            SetIfPresent(e, LedgerStore.Headers.CorrelationId, metadata.CorrelationId?.ToString("D"));
            SetIfPresent(e, LedgerStore.Headers.CausationId, metadata.CausationId?.ToString("D"));
            e.SetHeader(LedgerStore.Headers.StreamType, streamType);
            e.SetHeader(LedgerStore.Headers.SchemaVersion, descriptor.SchemaVersion);
            SetIfPresent(e, LedgerStore.Headers.Prev, prev);
            e.SetHeader(LedgerStore.Headers.Hash, hash.ToString());
            built.Add(e);
            prev = hash.ToString();
        }

        return built;
    }

    /// <summary>A header as text (headers read back from the database arrive as JSON elements).</summary>
    public static string? HeaderText(IEvent e, string name)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.GetHeader(name) switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            var other => other.ToString(),
        };
    }

    private static Hash HashOf(object data, EventEnvelope envelope)
    {
        try
        {
            return EnvelopeHasher.Hash(envelope);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            // The canonical form needs I-JSON: no lone surrogates, finite numbers.
            throw new InvalidEventException($"{data.GetType().Name} is not I-JSON and cannot be hashed: {e.Message}", e);
        }
    }

    private static void SetIfPresent(IEvent e, string name, string? value)
    {
        if (value is not null)
        {
            e.SetHeader(name, value);
        }
    }

    /// <summary>The event's data as JSON, for its hash (and only while it is hashed).</summary>
    private static JsonDocument DataJson(object data)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(data, data.GetType(), DomainJson.Options);
        if (bytes.Length > MaxEventBytes)
        {
            throw new InvalidEventException($"{data.GetType().Name} is {bytes.Length} bytes of JSON; an event may hold at most {MaxEventBytes}.");
        }

        if (bytes.AsSpan().IndexOf("\\u0000"u8) >= 0)
        {
            throw new InvalidEventException($"{data.GetType().Name} contains U+0000, which PostgreSQL's jsonb cannot store.");
        }

        return JsonDocument.Parse(bytes);
    }

    private static JsonElement MetadataJson(EventMetadata metadata)
    {
        var members = new Dictionary<string, string> { ["actor"] = metadata.Actor };
        AddIfPresent(members, "organisation", metadata.Organisation);
        AddIfPresent(members, "role", metadata.Role);
        AddIfPresent(members, "correlationId", metadata.CorrelationId?.ToString("D"));
        AddIfPresent(members, "causationId", metadata.CausationId?.ToString("D"));
        return JsonSerializer.SerializeToElement(members);
    }

    private static void AddIfPresent(Dictionary<string, string> members, string name, string? value)
    {
        if (value is not null)
        {
            members[name] = value;
        }
    }
}
