namespace IncidentLedger.EventStore.Writing;

/// <summary>Base of every error the write path raises on purpose; nothing was written when one is thrown.</summary>
public abstract class LedgerWriteException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The stream was not at the version the writer expected; nothing was written. Reload and decide again.</summary>
public sealed class StreamConflictException(string streamKey, long expectedVersion, long currentVersion)
    : LedgerWriteException($"Stream {streamKey} was expected at version {expectedVersion} but is at version {currentVersion}{(currentVersion == 0 ? " (it does not exist)" : "")}. Nothing was written; reload the stream and retry the command.")
{
    public string StreamKey { get; } = streamKey;

    public long ExpectedVersion { get; } = expectedVersion;

    /// <summary>The stream's current version (0 when it does not exist).</summary>
    public long CurrentVersion { get; } = currentVersion;
}

/// <summary>The append was malformed (an empty actor, a payload that is not I-JSON); nothing was written.</summary>
public sealed class InvalidEventException(string message, Exception? inner = null) : LedgerWriteException(message, inner);

/// <summary>An idempotency key was reused for a different command or stream; nothing was written.</summary>
public sealed class IdempotencyConflictException(string message) : LedgerWriteException(message);
