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
        var header = new BundleHeader(BundleFormat.Format, origin, size, await VerifierKeysAsync(cancellationToken), [.. checkpoints.Select(c => c.CosignedNote)]);
        await output.WriteLineAsync(JsonSerializer.Serialize(header, BundleFormat.Json));

        await using var command = dataSource.CreateCommand($"""
            SELECT x.position, t.hash, {StoredEvents.Columns("e")}
            FROM ledger_entries x
            JOIN ledger_event_envelopes e ON e.seq_id = x.seq_id
            LEFT JOIN ledger_tree t ON t.level = 0 AND t.index = x.position
            WHERE x.position < $1
            ORDER BY x.position
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
        long written = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = StoredEvents.Read(reader, 2);
            var leaf = reader.IsDBNull(1) ? "" : Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1));
            var entry = new BundleEntry(reader.GetInt64(0), leaf, BundleEvent.From(stored.EnvelopeIn(origin), stored.Hash));
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

        var stored = await EventAsync(eventId, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        return new ProofDocument(BundleFormat.ProofFormat, origin, proof.Entry.Position, proof.TreeSize, [.. proof.Path.Select(h => h.ToString())], proof.Checkpoint.Note,
            await VerifierKeysAsync(cancellationToken), BundleEvent.From(stored.EnvelopeIn(origin), stored.Hash));
    }

    /// <summary>One stored event by id, or null.</summary>
    public async Task<StoredEvent?> EventAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StoredEvents.Columns("e")} FROM ledger_event_envelopes e WHERE e.event_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = eventId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StoredEvents.Read(reader, 0) : null;
    }

    /// <summary>A stream's events in version order, as stored: what a stream check reads.</summary>
    public async Task<IReadOnlyList<StoredEvent>> StreamAsync(Guid streamId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StoredEvents.Columns("e")} FROM ledger_event_envelopes e WHERE e.stream_id = $1 ORDER BY e.version");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId.ToString("D") });
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(StoredEvents.Read(reader, 0));
        }

        return events;
    }
}
