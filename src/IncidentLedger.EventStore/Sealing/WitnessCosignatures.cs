using IncidentLedger.Integrity.Checkpoints;
using Npgsql;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>A witness cosignature (C2SP tlog-cosignature/v1) the ledger collected for one of its checkpoints.</summary>
/// <param name="Signature">The 8-byte timestamp followed by the Ed25519 signature, as the signature line carries it after the key ID.</param>
public sealed record CollectedCosignature(string Witness, uint KeyId, long CosignedAt, byte[] Signature, DateTimeOffset ReceivedAt)
{
    /// <summary>The signature line it adds to the checkpoint's note.</summary>
    public NoteSignature ToSignature() => new(Witness, KeyId, Signature);
}

/// <summary>
/// The cosignatures witnesses pushed for the log's checkpoints (ledger_cosignatures, schema/postgres/0004), insert-only.
/// Callers store only cosignatures they verified; reads return the newest per witness key, and only for the root the
/// checkpoint of that size has, so a cosignature can never be served beside a checkpoint it does not sign.
/// </summary>
public sealed class WitnessCosignatures(NpgsqlDataSource dataSource)
{
    /// <summary>Stores verified cosignatures of <paramref name="checkpoint"/>; returns, for each, whether it was new (false: the ledger held it already).</summary>
    public async Task<IReadOnlyList<bool>> AddAsync(Checkpoint checkpoint, IReadOnlyList<NoteSignature> cosignatures, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(cosignatures);
        var timestamps = cosignatures.Select(c => CosignedAtOf(c.Signature)).ToArray();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ledger_cosignatures (checkpoint_size, checkpoint_root, witness_name, witness_key_id, cosigned_at, signature, received_at)
            SELECT $1, $2, w.name, w.key_id, w.cosigned_at, w.signature, $7
            FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bytea[]) AS w (name, key_id, cosigned_at, signature)
            ON CONFLICT DO NOTHING
            RETURNING witness_name, witness_key_id, cosigned_at
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint.Size });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = checkpoint.Root.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. cosignatures.Select(c => c.KeyName)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. cosignatures.Select(c => (long)c.KeyId)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = timestamps });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. cosignatures.Select(c => c.Signature)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = receivedAt });
        var added = new HashSet<(string, long, long)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                added.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        return [.. cosignatures.Select((c, i) => added.Remove((c.KeyName, c.KeyId, timestamps[i])))];
    }

    /// <summary>The cosignatures to serve with the checkpoints of <paramref name="sizes"/> (all checkpoints when null), newest per witness key, by checkpoint size.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<CollectedCosignature>>> ForCheckpointsAsync(long[]? sizes, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT DISTINCT ON (w.checkpoint_size, w.witness_name, w.witness_key_id)
                   w.checkpoint_size, w.witness_name, w.witness_key_id, w.cosigned_at, w.signature, w.received_at
            FROM ledger_cosignatures w
            JOIN ledger_checkpoints c ON c.size = w.checkpoint_size AND c.root = w.checkpoint_root
            {(sizes is null ? "" : "WHERE w.checkpoint_size = ANY($1)")}
            ORDER BY w.checkpoint_size, w.witness_name, w.witness_key_id, w.cosigned_at DESC
            """);
        if (sizes is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sizes });
        }

        var result = new Dictionary<long, IReadOnlyList<CollectedCosignature>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var size = reader.GetInt64(0);
            if (!result.TryGetValue(size, out var list))
            {
                result[size] = list = new List<CollectedCosignature>();
            }

            ((List<CollectedCosignature>)list).Add(new CollectedCosignature(
                reader.GetString(1), (uint)reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return result;
    }

    /// <summary>A cosignature's timestamp: the first 8 bytes of its signature, big-endian POSIX seconds.</summary>
    public static long CosignedAtOf(byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Length >= 8 ? (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(signature) : throw new ArgumentException("A cosignature starts with its 8-byte timestamp.", nameof(signature));
    }
}
