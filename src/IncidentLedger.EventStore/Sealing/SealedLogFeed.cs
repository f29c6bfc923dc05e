using System.Runtime.CompilerServices;
using Npgsql;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>
/// Follows the sealed log live: every subscriber reads what was sealed after the position it gives, then waits for
/// the sealer's NOTIFY (one shared LISTEN connection per node, whatever the number of subscribers) and reads on.
/// Pages are read whole and their connection returned before any event is handed out, so a slow subscriber holds
/// no database connection. While the listening connection is down, subscribers poll instead. A subscriber that
/// reconnects with the last position it saw misses nothing and sees nothing twice, because positions are gap-free
/// and assigned once.
/// </summary>
public sealed class SealedLogFeed(NpgsqlDataSource dataSource, LedgerLog log, TimeSpan? pollInterval = null) : IAsyncDisposable
{
    private const int PageSize = 500;
    private static readonly TimeSpan ListeningCheck = TimeSpan.FromSeconds(30);

    private readonly TimeSpan poll = pollInterval ?? TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private TaskCompletionSource sealedMore = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? listening;
    private volatile bool listenerUp;

    /// <summary>True while the shared LISTEN connection is up (subscribers then wait for notifications instead of polling).</summary>
    public bool Listening => listenerUp;

    /// <summary>Sealed events after <paramref name="afterPosition"/>, in position order, for as long as the caller keeps reading.</summary>
    public async IAsyncEnumerable<SealedEvent> FollowAsync(long afterPosition = -1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(afterPosition, -1);
        EnsureListening();
        while (true)
        {
            // Taken before reading, so a notification that arrives while reading still wakes the next wait.
            var wake = Volatile.Read(ref sealedMore).Task;
            var page = await ReadPageAsync(afterPosition, cancellationToken);
            foreach (var sealedEvent in page)
            {
                afterPosition = sealedEvent.Position;
                yield return sealedEvent;
            }

            if (page.Count == PageSize)
            {
                continue;
            }

            // Notified: wait for the sealer (with a long safety net). Not listening: poll.
            await Task.WhenAny(wake, Task.Delay(listenerUp ? ListeningCheck : poll, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<List<SealedEvent>> ReadPageAsync(long afterPosition, CancellationToken cancellationToken)
    {
        var page = new List<SealedEvent>(PageSize);
        await foreach (var sealedEvent in log.ReadSealedAsync(afterPosition, PageSize, cancellationToken))
        {
            page.Add(sealedEvent);
            if (page.Count == PageSize)
            {
                break;
            }
        }

        return page;
    }

    private void EnsureListening()
    {
        lock (gate)
        {
            if (listening is null || listening.IsCompleted)
            {
                listening = Task.Run(() => ListenAsync(stopping.Token));
            }
        }
    }

    private void Wake() => Interlocked.Exchange(ref sealedMore, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListenOnOneConnectionAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Whatever broke the listening connection, subscribers poll until it is back.
                listenerUp = false;
                Wake();
                await Task.Delay(poll, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Listens on one connection until it breaks or the feed stops, and stops listening before it goes back to the pool.</summary>
    private async Task ListenOnOneConnectionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, _) => Wake();
        try
        {
            await using (var listen = new NpgsqlCommand($"LISTEN {LedgerNotifications.SealedChannel}", connection))
            {
                await listen.ExecuteNonQueryAsync(cancellationToken);
            }

            listenerUp = true;
            Wake(); // anything sealed before LISTEN took effect is read now
            while (true)
            {
                // A quiet connection is checked now and then, so a half-open one is noticed and replaced.
                if (!await connection.WaitAsync(ListeningCheck, cancellationToken))
                {
                    await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 10 };
                    await ping.ExecuteScalarAsync(cancellationToken);
                }
            }
        }
        finally
        {
            // An idle pooled connection that still listened would be sent every notification, unread.
            await PooledSessions.UndoAsync(connection, $"UNLISTEN {LedgerNotifications.SealedChannel}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (listening is not null)
        {
            await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        stopping.Dispose();
    }
}
