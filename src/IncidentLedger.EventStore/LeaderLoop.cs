using Npgsql;

namespace IncidentLedger.EventStore;

/// <summary>
/// Runs a worker's passes in this node only while it holds a session advisory lock, so among any
/// number of nodes one leads and the others stand by, taking over when the leader stops or its
/// connection (and with it the lock) goes away. Between passes it waits as long as the last pass asks, on the
/// leader connection, so a lost connection (and with it the lock) is noticed at once.
/// </summary>
internal static class LeaderLoop
{
    /// <param name="lockName">Hashed into the advisory lock key: one name, one leader.</param>
    /// <param name="pass">One unit of work; it returns how long to wait before the next (zero: at once).</param>
    /// <param name="onFailure">Called after a pass failed, before standing by (to drop state that may be ahead of the database).</param>
    public static async Task RunAsync(
        NpgsqlDataSource dataSource,
        string lockName,
        Func<CancellationToken, Task<TimeSpan>> pass,
        TimeSpan retryInterval,
        Action? onFailure,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var leader = await dataSource.OpenConnectionAsync(cancellationToken);
                if (!await AdvisoryAsync(leader, "pg_try_advisory_lock", lockName, cancellationToken))
                {
                    await Task.Delay(retryInterval, cancellationToken);
                    continue;
                }

                try
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var wait = await pass(cancellationToken);
                        if (wait <= TimeSpan.Zero)
                        {
                            continue;
                        }

                        // Waiting on the leader connection also notices when it dies, and with it the lock.
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        timeout.CancelAfter(wait);
                        try
                        {
                            await leader.WaitAsync(timeout.Token);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                        }
                    }
                }
                finally
                {
                    await ReleaseAsync(leader, lockName);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // A lost connection or a failed pass: nothing half-written survives; stand by and retry.
                onFailure?.Invoke();
                await Task.Delay(retryInterval, cancellationToken);
            }
        }
    }

    private static async Task<bool> AdvisoryAsync(NpgsqlConnection connection, string function, string lockName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(hashtextextended($1, 0))", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lockName });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Gives the lock back before the connection returns to its pool: a pooled connection keeps its
    /// session's locks until it is next used, so a stopped leader would otherwise go on holding it.
    /// A broken connection has lost the lock already.
    /// </summary>
    private static async Task ReleaseAsync(NpgsqlConnection leader, string lockName)
    {
        if (leader.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await AdvisoryAsync(leader, "pg_advisory_unlock", lockName, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
        }
    }
}
