namespace IncidentLedger.Integrity.Envelopes;

/// <summary>Why an event failed verification.</summary>
public enum ChainFailure
{
    /// <summary>The recomputed hash differs from the stored one: the event's content was changed.</summary>
    HashMismatch,

    /// <summary>The event's prev does not equal its predecessor's hash: an event was removed, inserted or reordered.</summary>
    BrokenLink,

    /// <summary>Versions do not run 1, 2, 3 … without a gap.</summary>
    VersionGap,

    /// <summary>The stream's recorded head (last version and hash) does not match its last event: the tail was cut.</summary>
    HeadMismatch,

    /// <summary>An event claims a different stream or origin than the one being verified.</summary>
    WrongStream,
}

/// <summary>The first place a stream stops verifying, or none.</summary>
public sealed record ChainVerification(Guid StreamId, long EventsChecked, ChainFailure? Failure, long? FailedVersion, Guid? FailedEventId, string? Reason)
{
    public bool IsIntact => Failure is null;

    public override string ToString() => IsIntact
        ? $"stream {StreamId}: {EventsChecked} events intact"
        : $"stream {StreamId}: version {FailedVersion}: {Failure}: {Reason}";
}

/// <summary>Replays one stream's envelopes in version order and reports the first event whose hash or chain link is wrong.</summary>
public static class StreamVerifier
{
    /// <param name="head">The stream's recorded (version, hash), when there is one, so a cut tail is caught too.</param>
    public static ChainVerification Verify(Guid streamId, IEnumerable<SealedEnvelope> events, (long Version, Hash Hash)? head = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        Hash? previous = null;
        long expectedVersion = 1;
        long checkedCount = 0;
        foreach (var (envelope, stored) in events)
        {
            ChainVerification Fail(ChainFailure failure, string reason) =>
                new(streamId, checkedCount, failure, envelope.Version, envelope.EventId, reason);

            if (envelope.StreamId != streamId)
            {
                return Fail(ChainFailure.WrongStream, $"event {envelope.EventId} belongs to stream {envelope.StreamId}");
            }

            if (envelope.Version != expectedVersion)
            {
                return Fail(ChainFailure.VersionGap, $"expected version {expectedVersion}, found {envelope.Version}");
            }

            if (envelope.Prev != previous)
            {
                return Fail(ChainFailure.BrokenLink, $"prev is {Describe(envelope.Prev)} but the previous event's hash is {Describe(previous)}");
            }

            var recomputed = EnvelopeHasher.Hash(envelope);
            if (recomputed != stored)
            {
                return Fail(ChainFailure.HashMismatch, $"stored hash {stored} but the content hashes to {recomputed}");
            }

            previous = stored;
            expectedVersion++;
            checkedCount++;
        }

        if (head is { } h && (h.Version != expectedVersion - 1 || (h.Version > 0 && previous != h.Hash)))
        {
            return new(streamId, checkedCount, ChainFailure.HeadMismatch, h.Version, null,
                $"the stream records version {h.Version} with hash {h.Hash} but its events end at version {expectedVersion - 1} with hash {Describe(previous)}");
        }

        return new(streamId, checkedCount, null, null, null, null);
    }

    private static string Describe(Hash? hash) => hash?.ToString() ?? "none";
}
