using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IncidentLedger.EventStore.Events;

/// <summary>A registered event type: its stable name, current schema version and CLR type.</summary>
public sealed record EventType(string Name, int SchemaVersion, Type ClrType);

/// <summary>
/// Maps event names to CLR types and schema versions. Old schema versions are read through
/// upcasters, one step at a time, so a stored event is always materialised as the current type
/// while its stored bytes (and hash) never change.
/// </summary>
public sealed partial class EventTypeRegistry
{
    private readonly Dictionary<string, EventType> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, EventType> byClrType = [];
    private readonly Dictionary<(string Name, int FromVersion), Func<JsonObject, JsonObject>> upcasters = [];

    public EventTypeRegistry(JsonSerializerOptions? jsonOptions = null)
    {
        JsonOptions = jsonOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    public JsonSerializerOptions JsonOptions { get; }

    public IEnumerable<EventType> Types => byName.Values;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex EventName();

    public EventTypeRegistry Register<T>(string? name = null, int schemaVersion = 1) => Register(typeof(T), name ?? typeof(T).Name, schemaVersion);

    public EventTypeRegistry Register(Type clrType, string name, int schemaVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        if (name is null || !EventName().IsMatch(name))
        {
            throw new ArgumentException($"\"{name}\" is not a valid event type name: letters, digits, '.', '_' and '-', starting with a letter.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(schemaVersion, 1);
        if (byName.ContainsKey(name))
        {
            throw new ArgumentException($"Event type \"{name}\" is registered twice.", nameof(name));
        }

        if (byClrType.TryGetValue(clrType, out var other))
        {
            throw new ArgumentException($"{clrType.Name} is already registered as \"{other.Name}\".", nameof(clrType));
        }

        var type = new EventType(name, schemaVersion, clrType);
        byName[name] = type;
        byClrType[clrType] = type;
        return this;
    }

    /// <summary>Registers how to read schema version <paramref name="fromVersion"/> of <paramref name="name"/> as version <paramref name="fromVersion"/> + 1.</summary>
    public EventTypeRegistry Upcast(string name, int fromVersion, Func<JsonObject, JsonObject> upcaster)
    {
        var type = Find(name) ?? throw new ArgumentException($"Register \"{name}\" before its upcasters.", nameof(name));
        if (fromVersion < 1 || fromVersion >= type.SchemaVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), $"\"{name}\" is at schema version {type.SchemaVersion}; upcasters go from 1 … {type.SchemaVersion - 1}.");
        }

        upcasters[(name, fromVersion)] = upcaster;
        return this;
    }

    public EventType? Find(string name) => byName.GetValueOrDefault(name);

    public EventType Resolve(Type clrType) =>
        byClrType.TryGetValue(clrType, out var type)
            ? type
            : throw new UnknownEventTypeException(
                $"{clrType.FullName} is not a registered event type. Register it with EventTypeRegistry.Register<{clrType.Name}>(); registered: {string.Join(", ", byName.Keys.Order())}.");

    /// <summary>Materialises stored data as the current CLR type, upcasting older schema versions.</summary>
    public object Deserialize(string name, int schemaVersion, JsonElement data)
    {
        var type = Find(name) ?? throw new UnknownEventTypeException($"Stored event type \"{name}\" is not registered, so it cannot be read as a CLR type.");
        if (schemaVersion > type.SchemaVersion)
        {
            throw new UnknownEventTypeException($"\"{name}\" was stored at schema version {schemaVersion}, newer than this build knows ({type.SchemaVersion}).");
        }

        if (schemaVersion == type.SchemaVersion)
        {
            return data.Deserialize(type.ClrType, JsonOptions)!;
        }

        var node = JsonNode.Parse(data.GetRawText())!.AsObject();
        for (var version = schemaVersion; version < type.SchemaVersion; version++)
        {
            if (!upcasters.TryGetValue((name, version), out var upcaster))
            {
                throw new UnknownEventTypeException($"No upcaster reads \"{name}\" schema version {version} as version {version + 1}.");
            }

            node = upcaster(node);
        }

        return node.Deserialize(type.ClrType, JsonOptions)!;
    }
}
