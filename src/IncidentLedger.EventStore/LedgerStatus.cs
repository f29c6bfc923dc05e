using Npgsql;

namespace IncidentLedger.EventStore;

/// <summary>How far one of Marten's projection or subscription shards has read the event sequence.</summary>
public sealed record ProjectionProgress(string Name, long Sequence, long LagEvents);

/// <summary>Wolverine's message store at a glance: messages waiting to go out or to run (scheduled ones included), and dead letters.</summary>
public sealed record MessageDepth(long Outgoing, long Incoming, long Dead);

/// <summary>Reads the state the daemon and Wolverine keep in the ledger's schema, for status pages and health checks.</summary>
public static class LedgerStatus
{
    public static async Task<IReadOnlyList<ProjectionProgress>> ProjectionsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("""
            SELECT p.name, p.last_seq_id, greatest((SELECT coalesce(max(seq_id), 0) FROM mt_events) - p.last_seq_id, 0)
            FROM mt_event_progression p
            WHERE p.name <> 'HighWaterMark'
            ORDER BY p.name
            """);
        var result = new List<ProjectionProgress>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ProjectionProgress(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
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
