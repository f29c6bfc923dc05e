using System.Globalization;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using Npgsql;
using NpgsqlTypes;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>The outcome of one sealing pass.</summary>
public sealed record SealPass(long Sealed, long Size, Checkpoint? Checkpoint);

/// <summary>
/// Gives events their place in the global log. Writers never serialise on a counter: an insert
/// trigger queues each new event in ledger_unsealed, and a queued row becomes visible exactly when
/// its writing transaction commits. A pass takes the visible rows, assigns gap-free positions,
/// appends their hashes to the Merkle tree, signs checkpoints and removes the rows from the queue,
/// all in one transaction. Nothing is skipped (a row leaves the queue only when sealed, however
/// late its transaction commits) and nothing stalls (an open transaction hides only its own rows).
/// Passes serialise on the seal-state row, so any number of sealers yield one log; an advisory
/// lock makes one of them the leader so the others stand by.
/// </summary>
public sealed class LedgerSealer(NpgsqlDataSource dataSource, string schema, SealerOptions options)
{
    private MerkleAccumulator? tree;
    private long lastCheckpointSize = -1;
    private DateTimeOffset lastCheckpointAt;

    public SealerOptions Options { get; } = options;

    /// <summary>Seals what is committed and unsealed (up to the batch size) in one transaction.</summary>
    public async Task<SealPass> SealOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await IdleAsync(connection, cancellationToken) is { } idle)
        {
            return idle;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Serialises sealers: a second one waits here, then sees what the first sealed and drained.
        long size;
        await using (var state = new NpgsqlCommand("SELECT size FROM ledger_seal_state FOR UPDATE", connection, transaction))
        {
            size = (long)(await state.ExecuteScalarAsync(cancellationToken))!;
        }

        var rows = await ScanAsync(connection, transaction, cancellationToken);
        var accumulator = await TreeAtAsync(connection, transaction, size, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        if (rows.Count > 0)
        {
            var formed = new List<TreeNode>(rows.Count * 2);
            await using (var entries = await connection.BeginBinaryImportAsync(
                "COPY ledger_entries (position, seq_id, event_id, stream_id, version, event_hash, sealed_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in rows)
                {
                    var position = accumulator.Size;
                    await entries.StartRowAsync(cancellationToken);
                    await entries.WriteAsync(position, NpgsqlDbType.Bigint, cancellationToken);
                    await entries.WriteAsync(row.SeqId, NpgsqlDbType.Bigint, cancellationToken);
                    await entries.WriteAsync(row.EventId, NpgsqlDbType.Uuid, cancellationToken);
                    await entries.WriteAsync(row.StreamId, NpgsqlDbType.Text, cancellationToken);
                    await entries.WriteAsync(row.Version, NpgsqlDbType.Bigint, cancellationToken);
                    await entries.WriteAsync(row.Hash, NpgsqlDbType.Bytea, cancellationToken);
                    await entries.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                    formed.AddRange(accumulator.Append(MerkleHasher.Leaf(row.Hash)));
                }

                await entries.CompleteAsync(cancellationToken);
            }

            await using (var nodes = await connection.BeginBinaryImportAsync("COPY ledger_tree (level, index, hash) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var node in formed)
                {
                    await nodes.StartRowAsync(cancellationToken);
                    await nodes.WriteAsync((short)node.Level, NpgsqlDbType.Smallint, cancellationToken);
                    await nodes.WriteAsync(node.Index, NpgsqlDbType.Bigint, cancellationToken);
                    await nodes.WriteAsync(node.Hash.ToArray(), NpgsqlDbType.Bytea, cancellationToken);
                }

                await nodes.CompleteAsync(cancellationToken);
            }

            await using var drain = new NpgsqlCommand("DELETE FROM ledger_unsealed WHERE seq_id = ANY($1)", connection, transaction);
            drain.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. rows.Select(r => r.SeqId)] });
            await drain.ExecuteNonQueryAsync(cancellationToken);

            await using var update = new NpgsqlCommand("UPDATE ledger_seal_state SET size = $1, updated_at = $2", connection, transaction);
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accumulator.Size });
            update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var checkpoint = await CheckpointIfDueAsync(connection, transaction, accumulator, now, cancellationToken);
        if (rows.Count > 0)
        {
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{LedgerNotifications.SealedChannel}', $1)", connection, transaction);
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accumulator.Size.ToString(CultureInfo.InvariantCulture) });
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        if (Options.BeforeCommit is { } hook)
        {
            await hook(accumulator.Size, cancellationToken);
        }

        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            tree = null; // what is in memory may now be ahead of the database: reload next pass
            throw;
        }

        return new SealPass(rows.Count, accumulator.Size, checkpoint);
    }

    /// <summary>
    /// The pass when there is nothing to do, found without a transaction: the log is the size this sealer last left it,
    /// every sealed event is in a checkpoint, and no committed event waits in the queue. Null otherwise (or when this
    /// sealer does not know the log yet). An idle pass so takes no row lock and writes nothing (a row lock alone costs a
    /// WAL flush at commit, twenty times a second at the poll interval).
    /// </summary>
    private async Task<SealPass?> IdleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (tree is not { } known || known.Size != lastCheckpointSize)
        {
            return null;
        }

        await using var probe = new NpgsqlCommand("SELECT (SELECT size FROM ledger_seal_state), EXISTS (SELECT 1 FROM ledger_unsealed)", connection);
        await using var reader = await probe.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0) == known.Size && !reader.GetBoolean(1) ? new SealPass(0, known.Size, null) : null;
    }

    private sealed record UnsealedRow(long SeqId, Guid EventId, string StreamId, long Version, byte[] Hash);

    /// <summary>
    /// Committed events waiting for a position, oldest sequence first (at most $1). The scan walks the queue and looks each event up;
    /// the <c>OFFSET 0</c> keeps PostgreSQL from joining the other way round. With a plain join under a <c>LIMIT</c>, the planner walked
    /// every event of the log in sequence order, or hashed the whole of <c>mt_events</c>, to find the few queued ones, so a pass grew
    /// with the log rather than with the queue.
    /// </summary>
    internal const string ScanSql = """
        SELECT e.seq_id, e.id, e.stream_id, e.version, decode(e.headers->>'hash', 'hex')
        FROM (SELECT seq_id FROM ledger_unsealed ORDER BY seq_id LIMIT $1) u
        CROSS JOIN LATERAL (SELECT seq_id, id, stream_id, version, headers FROM mt_events WHERE seq_id = u.seq_id OFFSET 0) e
        ORDER BY u.seq_id
        """;

    /// <summary>Committed events waiting for a position (<see cref="ScanSql"/>). Rows of transactions still open are invisible here until they commit.</summary>
    private async Task<List<UnsealedRow>> ScanAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var scan = new NpgsqlCommand(ScanSql, connection, transaction);
        scan.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Options.BatchSize });
        var rows = new List<UnsealedRow>();
        await using var reader = await scan.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UnsealedRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetFieldValue<byte[]>(4)));
        }

        return rows;
    }

    /// <summary>The tree's right edge at <paramref name="size"/>: kept in memory while this node seals, reloaded when another did.</summary>
    private async Task<MerkleAccumulator> TreeAtAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long size, CancellationToken cancellationToken)
    {
        if (tree is { } cached && cached.Size == size)
        {
            return cached;
        }

        var edge = MerkleAccumulator.EdgeOf(size);
        var nodes = await MerkleNodes.ReadAsync(connection, transaction, edge, cancellationToken);
        tree = new MerkleAccumulator(size, [.. edge.Select(e => new TreeNode(e.Level, e.Index, nodes[e]))]);
        lastCheckpointSize = -1;
        return tree;
    }

    private async Task<Checkpoint?> CheckpointIfDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MerkleAccumulator accumulator, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (lastCheckpointSize < 0)
        {
            await using var last = new NpgsqlCommand("SELECT coalesce(max(size), -1), coalesce(max(issued_at), '-infinity') FROM ledger_checkpoints", connection, transaction);
            await using var reader = await last.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            lastCheckpointSize = reader.GetInt64(0);
            lastCheckpointAt = reader.IsDBNull(1) || lastCheckpointSize < 0 ? DateTimeOffset.MinValue : reader.GetFieldValue<DateTimeOffset>(1);
        }

        var pending = accumulator.Size - lastCheckpointSize;
        var due = lastCheckpointSize < 0 || pending >= Options.CheckpointEveryEvents || (pending > 0 && now - lastCheckpointAt >= Options.CheckpointEvery);
        if (!due || pending == 0)
        {
            return null;
        }

        var checkpoint = new Checkpoint(Options.Origin, accumulator.Size, accumulator.Root());
        var note = SignedNote.Sign(checkpoint.ToNoteText(), Options.Signer);
        await using (var insert = new NpgsqlCommand("INSERT INTO ledger_checkpoints (size, root, note, issued_at) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint.Size });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = checkpoint.Root.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = note.ToString() });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        lastCheckpointSize = checkpoint.Size;
        lastCheckpointAt = now;
        return checkpoint;
    }

    /// <summary>
    /// Seals for as long as <paramref name="cancellationToken"/> allows: stands by until it holds the
    /// sealer lock, then loops passes: the next at once after a full batch, after the gather interval when a pass sealed
    /// fewer, after the poll interval when it found nothing.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) => LeaderLoop.RunAsync(
        dataSource,
        $"incident-ledger/sealer/{schema}",
        async ct => (await SealOnceAsync(ct)).Sealed switch
        {
            0 => Options.PollInterval,
            var sealedCount when sealedCount >= Options.BatchSize => TimeSpan.Zero,
            _ => Options.GatherInterval,
        },
        Options.LeaderRetryInterval,
        onFailure: () => tree = null,
        cancellationToken);
}
