using System.Runtime.CompilerServices;
using IncidentLedger.EventStore.Projections;
using Npgsql;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>
/// Follows the sealed log live: every subscriber reads what was sealed after the position it gives, then waits for
/// the sealer's NOTIFY (one shared LISTEN connection per node, whatever the number of subscribers) or the poll
/// interval, and reads on. A subscriber that reconnects with the last position it saw misses nothing and sees
/// nothing twice, because positions are gap-free and assigned once.
/// </summary>
public sealed class SealedLogFeed(NpgsqlDataSource dataSource, LedgerLog log, TimeSpan? pollInterval = null) : IAsyncDisposable
{
    private readonly TimeSpan poll = pollInterval ?? TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private TaskCompletionSource sealedMore = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? listening;

    /// <summary>Sealed events after <paramref name="afterPosition"/>, in position order, for as long as the caller keeps reading.</summary>
    public async IAsyncEnumerable<SealedEvent> FollowAsync(long afterPosition = -1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(afterPosition, -1);
        EnsureListening();
        while (true)
        {
            // Taken before reading, so a notification that arrives while reading still wakes the next wait.
            var wake = Volatile.Read(ref sealedMore).Task;
            await foreach (var sealedEvent in log.ReadSealedAsync(afterPosition, 500, cancellationToken))
            {
                afterPosition = sealedEvent.Position;
                yield return sealedEvent;
            }

            await Task.WhenAny(wake, Task.Delay(poll, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void EnsureListening()
    {
        lock (gate)
        {
            listening ??= Task.Run(() => ListenAsync(stopping.Token));
        }
    }

    private void Wake() => Interlocked.Exchange(ref sealedMore, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {LedgerNotifications.SealedChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Wake(); // anything sealed before LISTEN took effect is read now, not after a poll interval
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The listening connection broke: subscribers keep polling meanwhile.
                await Task.Delay(poll, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
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
