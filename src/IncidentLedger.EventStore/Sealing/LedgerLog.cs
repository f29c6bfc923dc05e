using System.Runtime.CompilerServices;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using Npgsql;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>A stored checkpoint: its parsed body, the signed note as issued, and the witnesses' cosignatures collected for it.</summary>
public sealed record StoredCheckpoint(Checkpoint Checkpoint, string Note, DateTimeOffset IssuedAt)
{
    /// <summary>The cosignatures witnesses pushed for this checkpoint, the newest per witness key.</summary>
    public IReadOnlyList<CollectedCosignature> Cosignatures { get; init; } = [];

    /// <summary>The note as issued with the collected cosignature lines appended (signed-note format): what /log/checkpoint serves and exports carry.</summary>
    public string CosignedNote => Note + string.Concat(Cosignatures.Select(c => c.ToSignature().ToLine()));
}

/// <summary>An event's place in the log.</summary>
public sealed record LogEntry(long Position, Guid EventId, Guid StreamId, long Version, Hash EventHash, DateTimeOffset SealedAt);

/// <summary>An RFC 9162 inclusion proof of one entry in the tree of a signed checkpoint.</summary>
public sealed record InclusionProof(LogEntry Entry, long TreeSize, IReadOnlyList<Hash> Path, StoredCheckpoint Checkpoint)
{
    public Hash LeafHash => MerkleHasher.Leaf(Entry.EventHash.Bytes);

    public bool Verify() => MerkleProofs.VerifyInclusion(Entry.Position, TreeSize, LeafHash, Path, Checkpoint.Checkpoint.Root);
}

/// <summary>An RFC 9162 consistency proof between two tree sizes.</summary>
public sealed record ConsistencyProof(long FirstSize, long SecondSize, IReadOnlyList<Hash> Path);

/// <summary>How far sealing is behind writing.</summary>
public sealed record SealStatus(long Size, long Unsealed, double OldestUnsealedSeconds, double OldestWriterSeconds, StoredCheckpoint? LatestCheckpoint);

/// <summary>Reads the sealed log: entries, checkpoints (with their witnesses' cosignatures), roots and proofs, each in O(log n) stored subtrees.</summary>
public sealed class LedgerLog(NpgsqlDataSource dataSource)
{
    private readonly WitnessCosignatures cosignatures = new(dataSource);

    public async Task<StoredCheckpoint?> LatestCheckpointAsync(CancellationToken cancellationToken = default) =>
        await CheckpointWhereAsync("ORDER BY size DESC LIMIT 1", null, cancellationToken);

    public async Task<StoredCheckpoint?> CheckpointAsync(long size, CancellationToken cancellationToken = default) =>
        await CheckpointWhereAsync("WHERE size = $1", size, cancellationToken);

    /// <summary>Every checkpoint, smallest first.</summary>
    public async Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT note, issued_at FROM ledger_checkpoints ORDER BY size");
        var result = new List<StoredCheckpoint>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(ReadCheckpoint(reader));
            }
        }

        var cosigned = await cosignatures.ForCheckpointsAsync(null, cancellationToken);
        return [.. result.Select(c => WithCosignatures(c, cosigned))];
    }

    private static StoredCheckpoint WithCosignatures(StoredCheckpoint checkpoint, IReadOnlyDictionary<long, IReadOnlyList<CollectedCosignature>> cosigned) =>
        cosigned.TryGetValue(checkpoint.Checkpoint.Size, out var lines) ? checkpoint with { Cosignatures = lines } : checkpoint;

    private async Task<StoredCheckpoint?> CheckpointWhereAsync(string where, long? size, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT note, issued_at FROM ledger_checkpoints {where}");
        if (size is { } s)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = s });
        }

        StoredCheckpoint checkpoint;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            checkpoint = ReadCheckpoint(reader);
        }

        return WithCosignatures(checkpoint, await cosignatures.ForCheckpointsAsync([checkpoint.Checkpoint.Size], cancellationToken));
    }

    private static StoredCheckpoint ReadCheckpoint(NpgsqlDataReader reader)
    {
        var note = reader.GetString(0);
        return new StoredCheckpoint(Checkpoint.Parse(SignedNote.Parse(note).Text), note, reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async Task<LogEntry?> EntryAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        await EntryWhereAsync("event_id = $1", new NpgsqlParameter<Guid> { TypedValue = eventId }, cancellationToken);

    public async Task<LogEntry?> EntryAtAsync(long position, CancellationToken cancellationToken = default) =>
        await EntryWhereAsync("position = $1", new NpgsqlParameter<long> { TypedValue = position }, cancellationToken);

    /// <summary>The log entries of those of the events that are sealed, by event id: one query for all of them.</summary>
    public async Task<IReadOnlyDictionary<Guid, LogEntry>> EntriesAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return new Dictionary<Guid, LogEntry>();
        }

        await using var command = dataSource.CreateCommand("SELECT position, event_id, stream_id, version, event_hash, sealed_at FROM ledger_entries WHERE event_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. eventIds] });
        var entries = new Dictionary<Guid, LogEntry>(eventIds.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = ReadEntry(reader);
            entries[entry.EventId] = entry;
        }

        return entries;
    }

    private async Task<LogEntry?> EntryWhereAsync(string where, NpgsqlParameter parameter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT position, event_id, stream_id, version, event_hash, sealed_at FROM ledger_entries WHERE {where}");
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEntry(reader) : null;
    }

    internal static LogEntry ReadEntry(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetGuid(1), Guid.Parse(reader.GetString(2)), reader.GetInt64(3), Hash.FromBytes(reader.GetFieldValue<byte[]>(4)), reader.GetFieldValue<DateTimeOffset>(5));

    /// <summary>Sealed events from <paramref name="afterPosition"/> + 1 on, in position order, paged so memory stays flat: what subscriptions and tools resume from.</summary>
    public async IAsyncEnumerable<SealedEvent> ReadSealedAsync(long afterPosition = -1, int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            await using var command = dataSource.CreateCommand($"""
                SELECT x.position, {StoredEvents.Columns("e")} FROM ledger_entries x JOIN ledger_event_envelopes e ON e.seq_id = x.seq_id
                WHERE x.position > $1 ORDER BY x.position LIMIT $2
                """);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterPosition });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pageSize });
            var read = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    read++;
                    afterPosition = reader.GetInt64(0);
                    yield return new SealedEvent(afterPosition, StoredEvents.Read(reader, 1));
                }
            }

            if (read < pageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>The RFC 9162 root of the first <paramref name="size"/> entries.</summary>
    public async Task<Hash> RootAsync(long size, CancellationToken cancellationToken = default)
    {
        var nodes = await NodesAsync([new LeafRange(0, size)], cancellationToken);
        return MerkleProofs.HashOf(new LeafRange(0, size), (l, i) => nodes[(l, i)]);
    }

    /// <summary>Proves the event is in the tree of the latest checkpoint (or of the checkpoint at <paramref name="treeSize"/>); null when it is not sealed into one yet.</summary>
    public async Task<InclusionProof?> InclusionProofAsync(Guid eventId, long? treeSize = null, CancellationToken cancellationToken = default)
    {
        var entry = await EntryAsync(eventId, cancellationToken);
        var checkpoint = treeSize is { } size ? await CheckpointAsync(size, cancellationToken) : await LatestCheckpointAsync(cancellationToken);
        if (entry is null || checkpoint is null || entry.Position >= checkpoint.Checkpoint.Size)
        {
            return null;
        }

        return new InclusionProof(entry, checkpoint.Checkpoint.Size, await InclusionPathAsync(entry.Position, checkpoint.Checkpoint.Size, cancellationToken), checkpoint);
    }

    /// <summary>The RFC 9162 inclusion path of the leaf at <paramref name="position"/> in the tree of <paramref name="treeSize"/> leaves: one query.</summary>
    public async Task<IReadOnlyList<Hash>> InclusionPathAsync(long position, long treeSize, CancellationToken cancellationToken = default)
    {
        var ranges = MerkleProofs.InclusionRanges(position, treeSize);
        var nodes = await NodesAsync(ranges, cancellationToken);
        return [.. ranges.Select(r => MerkleProofs.HashOf(r, (l, i) => nodes[(l, i)]))];
    }

    public async Task<ConsistencyProof> ConsistencyProofAsync(long first, long second, CancellationToken cancellationToken = default)
    {
        var ranges = MerkleProofs.ConsistencyRanges(first, second);
        var nodes = await NodesAsync(ranges, cancellationToken);
        return new ConsistencyProof(first, second, [.. ranges.Select(r => MerkleProofs.HashOf(r, (l, i) => nodes[(l, i)]))]);
    }

    private async Task<Dictionary<(int Level, long Index), Hash>> NodesAsync(IEnumerable<LeafRange> ranges, CancellationToken cancellationToken)
    {
        var wanted = ranges.SelectMany(MerkleProofs.NodesOf).Distinct().ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await MerkleNodes.ReadAsync(connection, null, wanted, cancellationToken);
    }

    /// <summary>
    /// How many committed events wait for a position, for how long, and how old the oldest open writing transaction is. Each queued
    /// event is looked up by its sequence, as the sealer's scan does (<see cref="LedgerSealer.ScanSql"/>), so the query costs what the
    /// queue holds, not what the log does.
    /// </summary>
    internal const string StatusSql = """
        SELECT s.size,
               q.waiting,
               coalesce(extract(epoch FROM now() - q.oldest), 0)::float8,
               coalesce((SELECT extract(epoch FROM now() - min(xact_start)) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()), 0)::float8
        FROM ledger_seal_state s,
             LATERAL (SELECT count(u.seq_id) AS waiting, min(e.timestamp) AS oldest
                      FROM ledger_unsealed u
                      LEFT JOIN LATERAL (SELECT timestamp FROM mt_events WHERE seq_id = u.seq_id OFFSET 0) e ON true) q
        """;

    /// <summary>The sealing status (<see cref="StatusSql"/>) with the latest checkpoint.</summary>
    public async Task<SealStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StatusSql);
        long size, unsealed;
        double oldestUnsealed, oldestWriter;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (size, unsealed, oldestUnsealed, oldestWriter) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3));
        }

        return new SealStatus(size, unsealed, oldestUnsealed, oldestWriter, await LatestCheckpointAsync(cancellationToken));
    }
}
