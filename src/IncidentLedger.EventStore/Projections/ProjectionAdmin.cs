using Npgsql;

namespace IncidentLedger.EventStore.Projections;

/// <summary>What an operator does to projections: look at them, retry, skip a poison event (with a reason), rebuild.</summary>
public sealed class ProjectionAdmin(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.name, p.state, p.position, s.size, p.applied_at,
                   CASE WHEN s.size - 1 > p.position
                        THEN coalesce(extract(epoch FROM now() - (SELECT x.sealed_at FROM ledger_entries x WHERE x.position = p.position + 1)), 0)
                        ELSE 0 END::float8,
                   p.error, p.error_position, p.rebuild_requested, p.rebuild_position
            FROM ledger_projections p CROSS JOIN ledger_seal_state s
            ORDER BY p.name
            """);
        var result = new List<ProjectionStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ProjectionStatus(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetDouble(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetBoolean(8), reader.IsDBNull(9) ? null : reader.GetInt64(9)));
        }

        return result;
    }

    public async Task<ProjectionStatus> StatusAsync(string name, CancellationToken cancellationToken = default) =>
        (await StatusAsync(cancellationToken)).SingleOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"There is no projection \"{name}\".", nameof(name));

    /// <summary>Resumes a stopped projection at the event that stopped it (after the cause was fixed).</summary>
    public Task RetryAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync(cancellationToken, (Resume, [name]));

    private const string Resume =
        "UPDATE ledger_projections SET state = CASE WHEN rebuild_requested THEN 'rebuilding' ELSE 'running' END, error = NULL, error_position = NULL, updated_at = now() WHERE name = $1";

    /// <summary>Skips the event at <paramref name="position"/> for this projection, recording who decided it and why, and resumes.</summary>
    public async Task SkipAsync(string name, long position, string reason, string skippedBy, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(skippedBy))
        {
            throw new ArgumentException("Skipping an event needs a reason and the name of whoever decided it.");
        }

        await ExecuteAsync(cancellationToken,
            ("INSERT INTO ledger_projection_skips (name, position, reason, skipped_by) VALUES ($1, $2, $3, $4)", [name, position, reason, skippedBy]),
            (Resume, [name]));
    }

    /// <summary>Asks the node running the projection to rebuild it from position 0 into shadow tables and swap them in.</summary>
    public async Task RequestRebuildAsync(string name, CancellationToken cancellationToken = default)
    {
        var changed = await ExecuteAsync(cancellationToken,
            ("UPDATE ledger_projections SET rebuild_requested = true, rebuild_position = NULL, rebuild_suffix = NULL, state = CASE WHEN state = 'stopped' THEN state ELSE 'rebuilding' END, updated_at = now() WHERE name = $1", [name]));
        if (changed == 0)
        {
            throw new ArgumentException($"There is no projection \"{name}\".", nameof(name));
        }
    }

    /// <summary>Runs the statements in one transaction; returns the rows they affected.</summary>
    private async Task<int> ExecuteAsync(CancellationToken cancellationToken, params (string Sql, object[] Parameters)[] statements)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (sql, parameters) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddRange(parameters.Select(p => new NpgsqlParameter { Value = p }).ToArray());
            batch.BatchCommands.Add(command);
        }

        var affected = await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return affected;
    }
}
