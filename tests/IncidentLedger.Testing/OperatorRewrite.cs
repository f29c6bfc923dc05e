using System.Text.Json.Nodes;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Envelopes;
using Npgsql;

namespace IncidentLedger.Testing;

/// <summary>
/// What an operator with superuser rights can do to recent history, short of the log key: change the
/// organisation names of the events sealed from a position on, re-chain their streams (hash and prev headers),
/// delete the sealed log and the checkpoints above that position and queue the events again, so that a sealer
/// seals and signs the rewritten tail as if it were the original. Returns the rewritten events' ids.
/// </summary>
public static class OperatorRewrite
{
    public static async Task<IReadOnlyList<Guid>> RewriteTailAsync(NpgsqlDataSource owner, string origin, long fromPosition, string newName = "Evil Ltd")
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var connection = await owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, "SET LOCAL session_replication_role = replica");

        // Taken first, as a sealer does, so that a sealer running beside the rewrite waits for it instead of deadlocking.
        await ExecuteAsync(connection, "SELECT size FROM ledger_seal_state FOR UPDATE");
        var eventIds = new List<Guid>();
        await using (var tail = new NpgsqlCommand("SELECT event_id FROM ledger_entries WHERE position >= $1 ORDER BY position", connection))
        {
            tail.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromPosition });
            await using var reader = await tail.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                eventIds.Add(reader.GetGuid(0));
            }
        }

        await ExecuteAsync(connection, "UPDATE mt_events SET data = jsonb_set(data, '{name}', to_jsonb($2::text)) WHERE id = ANY($1)", eventIds.ToArray(), newName);
        var streams = new List<Guid>();
        foreach (var id in eventIds)
        {
            var streamId = (await EventsAsync(connection, "e.event_id = $1", id)).Single().StreamId;
            if (!streams.Contains(streamId))
            {
                streams.Add(streamId);
            }
        }

        foreach (var streamId in streams)
        {
            Hash? prev = null;
            foreach (var stored in await EventsAsync(connection, "e.stream_id = $1 ORDER BY e.version", streamId.ToString("D")))
            {
                var envelope = stored.EnvelopeIn(origin) with { Prev = prev };
                var hash = EnvelopeHasher.Hash(envelope);
                var headers = new JsonObject { ["hash"] = hash.ToString() };
                if (prev is { } p)
                {
                    headers["prev"] = p.ToString();
                }

                await ExecuteAsync(connection, "UPDATE mt_events SET headers = headers || $2::jsonb WHERE id = $1", stored.EventId, headers.ToJsonString());
                prev = hash;
            }
        }

        await ExecuteAsync(connection, "DELETE FROM ledger_entries WHERE position >= $1", fromPosition);
        await ExecuteAsync(connection, "DELETE FROM ledger_tree WHERE (index + 1) * (1::bigint << level) > $1", fromPosition);
        await ExecuteAsync(connection, "DELETE FROM ledger_checkpoints WHERE size > $1", fromPosition);
        await ExecuteAsync(connection, "UPDATE ledger_seal_state SET size = $1", fromPosition);
        await ExecuteAsync(connection, "INSERT INTO ledger_unsealed (seq_id) SELECT seq_id FROM mt_events WHERE id = ANY($1)", eventIds.ToArray());
        await transaction.CommitAsync();
        return eventIds;
    }

    /// <summary>Events as they stand inside the rewriting transaction.</summary>
    private static async Task<List<StoredEvent>> EventsAsync(NpgsqlConnection connection, string where, object parameter)
    {
        await using var command = new NpgsqlCommand($"SELECT {StoredEvents.Columns("e")} FROM ledger_event_envelopes e WHERE {where}", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(StoredEvents.Read(reader, 0));
        }

        return events;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
