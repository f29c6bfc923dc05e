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
                if (!await LeadAsync(dataSource, lockName, pass, cancellationToken))
                {
                    // Another node leads: stand by, holding no connection meanwhile.
                    await Task.Delay(retryInterval, cancellationToken);
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
                await Task.Delay(retryInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Runs passes for as long as this node holds the lock; false at once when another node holds it.</summary>
    private static async Task<bool> LeadAsync(NpgsqlDataSource dataSource, string lockName, Func<CancellationToken, Task<TimeSpan>> pass, CancellationToken cancellationToken)
    {
        await using var leader = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await TryLockAsync(leader, lockName, cancellationToken))
        {
            return false;
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
            // Given back before the connection returns to the pool, where it would go on holding it.
            await PooledSessions.UndoAsync(leader, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", LockName(lockName));
        }

        return true;
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, string lockName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
        command.Parameters.Add(LockName(lockName));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlParameter<string> LockName(string lockName) => new() { TypedValue = lockName };
}
