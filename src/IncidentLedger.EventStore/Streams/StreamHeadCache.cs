using System.Collections.Concurrent;
using IncidentLedger.Integrity;

namespace IncidentLedger.EventStore.Streams;

/// <summary>A stream's last version and the hash of its last event (version 0, no hash: no stream yet).</summary>
public sealed record StreamHead(long Version, Hash? LastHash);

/// <summary>
/// What this node last saw of each stream's head, so an append can go straight to the database
/// with the head it expects. Only a hint: a stale entry costs one extra round trip, never correctness.
/// </summary>
internal sealed class StreamHeadCache(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<Guid, StreamHead> heads = new();

    public StreamHead? Find(Guid streamId) => heads.GetValueOrDefault(streamId);

    public void Remember(Guid streamId, StreamHead head)
    {
        if (heads.Count >= capacity)
        {
            heads.Clear();
        }

        heads[streamId] = head;
    }

    public void Forget(Guid streamId) => heads.TryRemove(streamId, out _);
}
