using IncidentLedger.EventStore.Streams;

namespace IncidentLedger.EventStore;

/// <summary>Base of every error the event store raises on purpose.</summary>
public abstract class EventStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The stream was not at the version the writer expected; nothing was written. Reload and decide again.</summary>
public sealed class ConcurrencyException(StreamKey stream, ExpectedVersion expected, long actualVersion)
    : EventStoreException($"Stream {stream} was expected at {expected} but is at version {actualVersion}{(actualVersion == 0 ? " (it does not exist)" : "")}. Nothing was written; reload the stream and retry the command.")
{
    public StreamKey Stream { get; } = stream;

    public ExpectedVersion Expected { get; } = expected;

    /// <summary>The stream's current version (0 when it does not exist).</summary>
    public long ActualVersion { get; } = actualVersion;
}

/// <summary>The event's CLR type or name is not registered with the store.</summary>
public sealed class UnknownEventTypeException(string message) : EventStoreException(message);

/// <summary>The append was malformed (null or oversized data, an invalid stream, an empty batch); nothing was written.</summary>
public sealed class InvalidEventException(string message, Exception? inner = null) : EventStoreException(message, inner);

/// <summary>Event ids or a command key were reused for a different append; nothing was written.</summary>
public sealed class IdempotencyConflictException(string message) : EventStoreException(message);

/// <summary>The database belongs to another ledger (its recorded origin differs).</summary>
public sealed class LedgerOriginMismatchException(string message) : EventStoreException(message);
