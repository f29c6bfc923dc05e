using IncidentLedger.EventStore.Projections;
using Npgsql;

namespace IncidentLedger.EventStore;

/// <summary>
/// How far one of Marten's projection or subscription shards has read the event sequence, and, when
/// it stopped at an event it could not apply, why and at which event.
/// </summary>
public sealed record ProjectionProgress(string Name, long Sequence, long LagEvents, string Status = "running", string? Error = null, long? StoppedAt = null);

/// <summary>Wolverine's message store at a glance: messages waiting to go out or to run (scheduled ones included), and dead letters.</summary>
public sealed record MessageDepth(long Outgoing, long Incoming, long Dead);

/// <summary>Reads the state the daemon and Wolverine keep in the ledger's schema, for status pages and health checks.</summary>
public static class LedgerStatus
{
    /// <summary>
    /// Every shard in Marten's progression table, and every read-model projection even before its first
    /// batch commits, with the fault a stopped projection recorded (see <see cref="ProjectionFault"/>).
    /// </summary>
    public static async Task<IReadOnlyList<ProjectionProgress>> ProjectionsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("""
            WITH shards AS (
                SELECT name FROM mt_event_progression WHERE name NOT LIKE 'HighWater%'
                UNION SELECT projection || ':All' FROM unnest($1::text[]) AS projection
            )
            SELECT s.name, coalesce(p.last_seq_id, 0),
                   greatest((SELECT coalesce(max(seq_id), 0) FROM mt_events) - coalesce(p.last_seq_id, 0), 0),
                   f.data->>'error', (f.data->>'sequence')::bigint
            FROM shards s
            LEFT JOIN mt_event_progression p ON p.name = s.name
            LEFT JOIN mt_doc_projectionfault f ON f.id = split_part(s.name, ':', 1)
            ORDER BY s.name
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerProjections.Names.ToArray() });
        var result = new List<ProjectionProgress>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var error = reader.IsDBNull(3) ? null : reader.GetString(3);
            result.Add(new ProjectionProgress(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), error is null ? "running" : "stopped", error,
                reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return result;
    }

    public static async Task<MessageDepth> MessagesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        // Wolverine creates its tables when its host first starts; before that there is nothing to count.
        await using (var exists = dataSource.CreateCommand("SELECT to_regclass('wolverine_dead_letters') IS NOT NULL"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return new MessageDepth(0, 0, 0);
            }
        }

        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM wolverine_outgoing_envelopes),
                   (SELECT count(*) FROM wolverine_incoming_envelopes WHERE status <> 'Handled'),
                   (SELECT count(*) FROM wolverine_dead_letters)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MessageDepth(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
