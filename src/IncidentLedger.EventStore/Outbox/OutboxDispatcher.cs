using System.Text.Json;
using Npgsql;

namespace IncidentLedger.EventStore.Outbox;

/// <summary>How the dispatcher claims, retries and gives up.</summary>
public sealed record OutboxOptions
{
    public int BatchSize { get; init; } = 50;

    /// <summary>How long a claimed message stays invisible to other dispatchers; a dispatcher that dies releases it by letting this run out.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this many failed attempts a message moves to the dead-letter table with its last error.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>The outcome of one dispatch pass.</summary>
public sealed record DispatchPass(int Delivered, int Retried, int DeadLettered);

/// <summary>
/// Delivers outbox messages after commit, at least once: messages are claimed with
/// FOR UPDATE SKIP LOCKED and a lease (so any number of dispatchers share the work and a dead one's
/// claims come back), deleted when delivered, retried with exponential backoff and full jitter, and
/// moved to ledger_outbox_dead with their last error after the maximum attempts.
/// </summary>
public sealed class OutboxDispatcher(NpgsqlDataSource dataSource, IOutboxTransport transport, OutboxOptions? options = null)
{
    private readonly OutboxOptions options = options ?? new OutboxOptions();

    public async Task<DispatchPass> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var claimed = await ClaimAsync(cancellationToken);
        int delivered = 0, retried = 0, dead = 0;
        foreach (var delivery in claimed)
        {
            string? error = null;
            try
            {
                await transport.DeliverAsync(delivery, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }

            if (error is null)
            {
                await ExecuteAsync("DELETE FROM ledger_outbox WHERE id = $1", cancellationToken, delivery.Message.Id);
                delivered++;
            }
            else if (delivery.Attempt >= options.MaxAttempts)
            {
                await ExecuteAsync("""
                    WITH gone AS (DELETE FROM ledger_outbox WHERE id = $1 RETURNING *)
                    INSERT INTO ledger_outbox_dead (id, topic, destination, payload, created_at, attempts, last_error, dead_at)
                    SELECT id, topic, destination, payload, created_at, attempts, $2, now() FROM gone
                    """, cancellationToken, delivery.Message.Id, error);
                dead++;
            }
            else
            {
                await ExecuteAsync("UPDATE ledger_outbox SET available_at = now() + $2, locked_until = NULL, last_error = $3 WHERE id = $1",
                    cancellationToken, delivery.Message.Id, Backoff(delivery.Attempt), error);
                retried++;
            }
        }

        return new DispatchPass(delivered, retried, dead);
    }

    /// <summary>Exponential backoff with full jitter: a random delay up to base × 2^(attempt-1), capped.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private async Task<List<OutboxDelivery>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE ledger_outbox o SET locked_until = now() + $2, attempts = o.attempts + 1
            FROM (SELECT id FROM ledger_outbox
                  WHERE available_at <= now() AND (locked_until IS NULL OR locked_until < now())
                  ORDER BY available_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
            WHERE o.id = due.id
            RETURNING o.id, o.topic, o.destination, o.payload::text, o.attempts, o.created_at
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.BatchSize });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.Lease });
        var claimed = new List<OutboxDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var payload = JsonDocument.Parse(reader.GetString(3));
            claimed.Add(new OutboxDelivery(new OutboxMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), payload.RootElement.Clone()), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return claimed;
    }

    /// <summary>Dispatches until cancelled, sleeping only when a pass found nothing due.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var pass = await DispatchOnceAsync(cancellationToken);
                if (pass.Delivered + pass.Retried + pass.DeadLettered == 0)
                {
                    await Task.Delay(options.PollInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                await Task.Delay(options.PollInterval, cancellationToken);
            }
        }
    }

    /// <summary>Messages waiting (including those being retried) and messages given up on.</summary>
    public static async Task<(long Pending, long Dead)> DepthAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT (SELECT count(*) FROM ledger_outbox), (SELECT count(*) FROM ledger_outbox_dead)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters.Select(p => new NpgsqlParameter { Value = p }).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
