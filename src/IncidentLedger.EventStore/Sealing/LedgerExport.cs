using System.Text.Json;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Envelopes;
using Npgsql;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>Writes the sealed log as a bundle (docs/verification.md) that anyone can verify offline.</summary>
public sealed class LedgerExport(NpgsqlDataSource dataSource)
{
    /// <summary>Publishes a checkpoint verifier key with the ledger, so exports can name it.</summary>
    public static async Task PublishVerifierKeyAsync(NpgsqlDataSource owner, string schema, string verifierKey, CancellationToken cancellationToken = default)
    {
        LedgerSchema.Validate(schema);
        await using var command = owner.CreateCommand($"INSERT INTO \"{schema}\".ledger_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "checkpoint_key/" + verifierKey.Split('+')[1] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = verifierKey });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string> OriginAsync(CancellationToken cancellationToken = default) =>
        (string?)await Scalar("SELECT value FROM ledger_settings WHERE name = 'origin'").ExecuteScalarAsync(cancellationToken)
        ?? throw new InvalidOperationException("This database holds no ledger (no origin recorded).");

    public async Task<IReadOnlyList<string>> VerifierKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Scalar("SELECT value FROM ledger_settings WHERE name LIKE 'checkpoint_key/%' ORDER BY name");
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private NpgsqlCommand Scalar(string sql) => dataSource.CreateCommand(sql);

    /// <summary>Writes header and entries (in position order) as JSON Lines; returns the number of entries.</summary>
    public async Task<long> WriteBundleAsync(TextWriter output, Action<long, long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var origin = await OriginAsync(cancellationToken);
        var log = new LedgerLog(dataSource);
        var checkpoints = await log.CheckpointsAsync(cancellationToken);
        var size = (long)(await Scalar("SELECT size FROM ledger_seal_state").ExecuteScalarAsync(cancellationToken))!;
        var header = new BundleHeader(BundleFormat.Format, origin, size, await VerifierKeysAsync(cancellationToken), [.. checkpoints.Select(c => c.Note)]);
        await output.WriteLineAsync(JsonSerializer.Serialize(header, BundleFormat.Json));

        await using var command = dataSource.CreateCommand("""
            SELECT x.position, t.hash, e.event_id, e.stream_id, e.stream_type, e.version, e.event_type, e.schema_version,
                   e.data::text, e.metadata::text, e.recorded_at, e.prev_hash, e.hash
            FROM ledger_entries x
            JOIN ledger_events e ON e.event_id = x.event_id
            LEFT JOIN ledger_tree t ON t.level = 0 AND t.index = x.position
            WHERE x.position < $1
            ORDER BY x.position
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
        long written = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var data = JsonDocument.Parse(reader.GetString(8));
            using var metadata = JsonDocument.Parse(reader.GetString(9));
            var envelope = new EventEnvelope(origin, reader.GetGuid(3), reader.GetString(4), reader.GetInt64(5), reader.GetGuid(2), reader.GetString(6), reader.GetInt32(7),
                reader.GetFieldValue<DateTimeOffset>(10), data.RootElement, metadata.RootElement,
                reader.IsDBNull(11) ? null : Hash.FromBytes(reader.GetFieldValue<byte[]>(11)));
            var leaf = reader.IsDBNull(1) ? "" : Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1));
            var entry = new BundleEntry(reader.GetInt64(0), leaf, BundleEvent.From(envelope, Hash.FromBytes(reader.GetFieldValue<byte[]>(12))));
            await output.WriteLineAsync(JsonSerializer.Serialize(entry, BundleFormat.Json));
            written++;
            progress?.Invoke(written, size);
        }

        return written;
    }

    /// <summary>A self-contained inclusion proof for one event, or null when it is not yet in a signed checkpoint.</summary>
    public async Task<ProofDocument?> ProofAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        var origin = await OriginAsync(cancellationToken);
        var proof = await new LedgerLog(dataSource).InclusionProofAsync(eventId, cancellationToken: cancellationToken);
        if (proof is null)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("SELECT stream_id, stream_type, version, event_type, schema_version, data::text, metadata::text, recorded_at, prev_hash, hash FROM ledger_events WHERE event_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = eventId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        using var data = JsonDocument.Parse(reader.GetString(5));
        using var metadata = JsonDocument.Parse(reader.GetString(6));
        var envelope = new EventEnvelope(origin, reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), eventId, reader.GetString(3), reader.GetInt32(4),
            reader.GetFieldValue<DateTimeOffset>(7), data.RootElement.Clone(), metadata.RootElement.Clone(), reader.IsDBNull(8) ? null : Hash.FromBytes(reader.GetFieldValue<byte[]>(8)));
        return new ProofDocument(BundleFormat.ProofFormat, origin, proof.Entry.Position, proof.TreeSize, [.. proof.Path.Select(h => h.ToString())], proof.Checkpoint.Note,
            await VerifierKeysAsync(cancellationToken), BundleEvent.From(envelope, Hash.FromBytes(reader.GetFieldValue<byte[]>(9))));
    }
}
