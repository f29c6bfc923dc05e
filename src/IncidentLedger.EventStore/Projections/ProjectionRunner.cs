using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Sealing;
using Npgsql;

namespace IncidentLedger.EventStore.Projections;

/// <summary>How a projection runner batches, wakes and stands by.</summary>
public sealed record ProjectionRunnerOptions
{
    public int BatchSize { get; init; } = 1000;

    /// <summary>How long to sleep when there was nothing to apply (a NOTIFY from the sealer wakes it sooner).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a standby node tries to take the projection over.</summary>
    public TimeSpan LeaderRetryInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>The outcome of one runner pass.</summary>
public sealed record ProjectionPass(int Applied, long Position, string State, int RebuildApplied = 0);

/// <summary>
/// Keeps one projection up to date with the sealed log, in position order, exactly once: each
/// batch and the checkpoint that records it commit together, under a lock on the projection's
/// row, so two runners never both apply an event. An event the projection cannot apply stops it
/// at that position with the error visible; it resumes when retried or when an operator skips
/// the event with a recorded reason. A rebuild replays the log into shadow tables while the live
/// ones keep serving, and swaps them in one transaction once the shadow has caught up.
/// </summary>
public sealed class ProjectionRunner(NpgsqlDataSource dataSource, string schema, IProjection projection, ProjectionRunnerOptions? options = null)
{
    private readonly ProjectionRunnerOptions options = options ?? new ProjectionRunnerOptions();
    private bool created;

    public IProjection Projection { get; } = projection;

    /// <summary>Applies the next batch (and the next rebuild batch, when a rebuild is under way).</summary>
    public async Task<ProjectionPass> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long position;
        string state;
        bool rebuild;
        long? rebuildPosition;
        string? suffix;
        await using (var row = new NpgsqlCommand("SELECT position, state, rebuild_requested, rebuild_position, rebuild_suffix FROM ledger_projections WHERE name = $1 FOR UPDATE", connection, transaction))
        {
            row.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Projection.Name });
            await using var reader = await row.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (position, state, rebuild) = (reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2));
            rebuildPosition = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            suffix = reader.IsDBNull(4) ? null : reader.GetString(4);
        }

        if (state == "stopped")
        {
            await transaction.CommitAsync(cancellationToken);
            return new ProjectionPass(0, position, state);
        }

        // The live tables first: they keep serving, current, while a rebuild runs beside them.
        var live = new ProjectionContext(connection, transaction, "");
        var (applied, newPosition, failure) = await ApplyNextAsync(live, position, cancellationToken);
        if (failure is { } poison)
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE ledger_projections SET position = $2, state = 'stopped', error = $3, error_position = $4, applied_at = now(), updated_at = now() WHERE name = $1",
                Projection.Name, newPosition, poison.Error, poison.Position);
            await transaction.CommitAsync(cancellationToken);
            return new ProjectionPass(applied, newPosition, "stopped");
        }

        var rebuildApplied = 0;
        if (rebuild)
        {
            (rebuildApplied, rebuildPosition, suffix, var swapped) = await RebuildStepAsync(connection, transaction, rebuildPosition, suffix, newPosition, cancellationToken);
            if (swapped)
            {
                await ExecuteAsync(connection, transaction,
                    "UPDATE ledger_projections SET position = $2, state = 'running', rebuild_requested = false, rebuild_position = NULL, rebuild_suffix = NULL, error = NULL, error_position = NULL, applied_at = now(), updated_at = now() WHERE name = $1",
                    Projection.Name, rebuildPosition!.Value);
                await transaction.CommitAsync(cancellationToken);
                return new ProjectionPass(applied, rebuildPosition.Value, "running", rebuildApplied);
            }
        }

        await ExecuteAsync(connection, transaction,
            "UPDATE ledger_projections SET position = $2, state = $3, rebuild_position = $4, rebuild_suffix = $5, applied_at = CASE WHEN $6 THEN now() ELSE applied_at END, updated_at = now() WHERE name = $1",
            Projection.Name, newPosition, rebuild ? "rebuilding" : "running", (object?)rebuildPosition ?? DBNull.Value, (object?)suffix ?? DBNull.Value, applied > 0);
        await transaction.CommitAsync(cancellationToken);
        return new ProjectionPass(applied, newPosition, rebuild ? "rebuilding" : "running", rebuildApplied);
    }

    private sealed record Poison(long Position, string Error);

    /// <summary>Applies the batch after <paramref name="position"/>; on failure, finds the first event that fails and applies only what precedes it.</summary>
    private async Task<(int Applied, long Position, Poison? Failure)> ApplyNextAsync(ProjectionContext context, long position, CancellationToken cancellationToken)
    {
        var events = await ReadAfterAsync(context, position, cancellationToken);
        if (events.Count == 0)
        {
            return (0, position, null);
        }

        await using (var savepoint = new NpgsqlCommand("SAVEPOINT batch", context.Connection, context.Transaction))
        {
            await savepoint.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await Projection.ApplyAsync(context, events, cancellationToken);
            return (events.Count, events[^1].Position, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ExecuteAsync(context.Connection, context.Transaction, "ROLLBACK TO SAVEPOINT batch");
        }

        // One at a time, each behind its own savepoint, up to the first that fails.
        var applied = 0;
        foreach (var sealedEvent in events)
        {
            await ExecuteAsync(context.Connection, context.Transaction, "SAVEPOINT one");
            try
            {
                await Projection.ApplyAsync(context, [sealedEvent], cancellationToken);
                applied++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await ExecuteAsync(context.Connection, context.Transaction, "ROLLBACK TO SAVEPOINT one");
                var error = $"{e.GetType().Name}: {e.Message} (event {sealedEvent.Event.EventId}, {sealedEvent.Event.EventType} v{sealedEvent.Event.SchemaVersion}, stream {sealedEvent.Event.Stream})";
                return (applied, sealedEvent.Position - 1, new Poison(sealedEvent.Position, error));
            }
        }

        return (applied, events[^1].Position, null);
    }

    private async Task<List<SealedEvent>> ReadAfterAsync(ProjectionContext context, long position, CancellationToken cancellationToken)
    {
        await using var command = context.Command($"""
            SELECT x.position, {EventRows.ColumnsOf("e")}
            FROM ledger_entries x JOIN ledger_events e ON e.event_id = x.event_id
            WHERE x.position > $1
              AND NOT EXISTS (SELECT 1 FROM ledger_projection_skips s WHERE s.name = $3 AND s.position = x.position)
            ORDER BY x.position
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.BatchSize });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Projection.Name });
        var events = new List<SealedEvent>(options.BatchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new SealedEvent(reader.GetInt64(0), EventRows.Read(reader, 1)));
        }

        return events;
    }

    /// <summary>One step of a shadow rebuild: create the shadow tables, or fill them further, or (caught up) swap them in.</summary>
    private async Task<(int Applied, long? Position, string? Suffix, bool Swapped)> RebuildStepAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long? rebuildPosition, string? suffix, long livePosition, CancellationToken cancellationToken)
    {
        if (rebuildPosition is null || suffix is null)
        {
            suffix = "__rebuild_" + Guid.NewGuid().ToString("N")[..8];
            await Projection.CreateAsync(new ProjectionContext(connection, transaction, suffix), cancellationToken);
            return (0, -1, suffix, false);
        }

        var shadow = new ProjectionContext(connection, transaction, suffix);
        var (applied, position, failure) = await ApplyNextAsync(shadow, rebuildPosition.Value, cancellationToken);
        if (failure is not null)
        {
            // The shadow meets the same poison the live view did: rebuild stops there too, visibly.
            throw new InvalidOperationException($"Rebuilding {Projection.Name} failed at position {failure.Position}: {failure.Error}");
        }

        if (applied > 0 || position < livePosition)
        {
            return (applied, position, suffix, false);
        }

        foreach (var table in Projection.Tables)
        {
            await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS \"{table}\"");
            await ExecuteAsync(connection, transaction, $"ALTER TABLE \"{table}{suffix}\" RENAME TO \"{table}\"");
        }

        return (0, position, suffix, true);
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (created)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended('incident-ledger/projection-setup/' || $1, 0))", Projection.Name);
        await ExecuteAsync(connection, transaction, "INSERT INTO ledger_projections (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", Projection.Name);
        await Projection.CreateAsync(new ProjectionContext(connection, transaction, ""), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        created = true;
    }

    /// <summary>
    /// Keeps the projection current for as long as <paramref name="cancellationToken"/> allows: stands by
    /// until it holds the projection's lock (so one node runs it), then applies batches, waking on the
    /// sealer's NOTIFY or the poll interval. A node that dies releases the lock with its connection.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) => LeaderLoop.RunAsync(
        dataSource,
        $"incident-ledger/projection/{schema}/{Projection.Name}",
        LedgerNotifications.SealedChannel,
        async ct =>
        {
            var pass = await RunOnceAsync(ct);
            return pass.Applied > 0 || pass.RebuildApplied > 0 || pass.State == "rebuilding";
        },
        options.PollInterval,
        options.LeaderRetryInterval,
        onFailure: null,
        cancellationToken);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
