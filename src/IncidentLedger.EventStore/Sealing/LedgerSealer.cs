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
/// Gives events their place in the global log. Writers never serialise on a counter: each event
/// row records its writing transaction, and the sealer takes the committed rows not yet sealed,
/// orders them by (transaction, sequence), assigns gap-free positions, appends their hashes to
/// the Merkle tree and signs checkpoints. It never skips a row: it only moves its frontier below
/// transactions that are certainly finished (the snapshot's xmin), so a row that commits late is
/// still found. One pass is one transaction, serialised on the seal-state row, so any number of
/// sealers yield one log; an advisory lock makes one of them the leader so the others stand by.
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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Serialises sealers. The snapshot bounds are read before the scan: everything below this
        // xmin had finished, so the scan (with a newer snapshot) sees all of it.
        long size;
        ulong frontier, xmin, xmax;
        long? storedSystemId;
        long systemId;
        await using (var state = new NpgsqlCommand("""
            SELECT size, frontier::text, system_id,
                   pg_snapshot_xmin(pg_current_snapshot())::text, pg_snapshot_xmax(pg_current_snapshot())::text,
                   (SELECT system_identifier FROM pg_control_system())
            FROM ledger_seal_state FOR UPDATE
            """, connection, transaction))
        await using (var reader = await state.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            size = reader.GetInt64(0);
            frontier = ulong.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
            storedSystemId = reader.IsDBNull(2) ? null : reader.GetInt64(2);
            xmin = ulong.Parse(reader.GetString(3), CultureInfo.InvariantCulture);
            xmax = ulong.Parse(reader.GetString(4), CultureInfo.InvariantCulture);
            systemId = reader.GetInt64(5);
        }

        // Restored into another cluster: its transaction ids say nothing about ours. Every row
        // that came with the restore is committed, so one unbounded pass seals them all.
        var restored = storedSystemId is { } known && known != systemId;
        if (restored)
        {
            frontier = 0;
        }

        var rows = await ScanAsync(connection, transaction, frontier, restored ? null : xmax, cancellationToken);
        var accumulator = await TreeAtAsync(connection, transaction, size, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var newFrontier = rows.Count == Options.BatchSize ? Math.Min(xmin, rows[^1].Tx) : xmin;
        if (restored)
        {
            newFrontier = rows.Count == Options.BatchSize ? 0 : xmin;
        }

        if (rows.Count > 0)
        {
            var formed = new List<TreeNode>(rows.Count * 2);
            await using (var entries = await connection.BeginBinaryImportAsync(
                "COPY ledger_entries (position, event_id, stream_id, version, event_hash, sealed_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in rows)
                {
                    var position = accumulator.Size;
                    await entries.StartRowAsync(cancellationToken);
                    await entries.WriteAsync(position, NpgsqlDbType.Bigint, cancellationToken);
                    await entries.WriteAsync(row.EventId, NpgsqlDbType.Uuid, cancellationToken);
                    await entries.WriteAsync(row.StreamId, NpgsqlDbType.Uuid, cancellationToken);
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
        }

        await using (var update = new NpgsqlCommand(
            "UPDATE ledger_seal_state SET size = $1, frontier = $2::text::xid8, system_id = $3, updated_at = $4", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accumulator.Size });
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = newFrontier.ToString(CultureInfo.InvariantCulture) });
            // A restore pass that did not finish keeps the old cluster id, so the next pass continues it.
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = restored && rows.Count == Options.BatchSize ? storedSystemId!.Value : systemId });
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

    private sealed record UnsealedRow(Guid EventId, Guid StreamId, long Version, byte[] Hash, ulong Tx);

    private async Task<List<UnsealedRow>> ScanAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ulong frontier, ulong? below, CancellationToken cancellationToken)
    {
        await using var scan = new NpgsqlCommand("""
            SELECT e.event_id, e.stream_id, e.version, e.hash, e.tx::text
            FROM ledger_events e
            WHERE e.tx >= $1::text::xid8 AND ($2::text IS NULL OR e.tx < $2::text::xid8)
              AND NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.event_id = e.event_id)
            ORDER BY e.tx, e.seq
            LIMIT $3
            """, connection, transaction);
        scan.Parameters.Add(new NpgsqlParameter<string> { TypedValue = frontier.ToString(CultureInfo.InvariantCulture) });
        scan.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = below?.ToString(CultureInfo.InvariantCulture) ?? (object)DBNull.Value });
        scan.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Options.BatchSize });
        var rows = new List<UnsealedRow>();
        await using var reader = await scan.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UnsealedRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3), ulong.Parse(reader.GetString(4), CultureInfo.InvariantCulture)));
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
    /// sealer lock, then loops passes, sleeping only when a pass found nothing and waking on NOTIFY.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) => LeaderLoop.RunAsync(
        dataSource,
        $"incident-ledger/sealer/{schema}",
        LedgerNotifications.Channel,
        async ct => (await SealOnceAsync(ct)).Sealed > 0,
        Options.PollInterval,
        Options.LeaderRetryInterval,
        onFailure: () => tree = null,
        cancellationToken);
}
