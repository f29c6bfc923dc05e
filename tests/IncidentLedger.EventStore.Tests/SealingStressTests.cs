using System.Collections.Concurrent;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;

namespace IncidentLedger.EventStore.Tests;

/// <summary>Sealing under the conditions that break gap-skipping readers, all at once.</summary>
public sealed class SealingStressTests : IAsyncLifetime
{
    private readonly LedgerDatabase db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public async ValueTask DisposeAsync() => await db.DisposeAsync();

    /// <summary>Appends one registration in a transaction of its own and commits it, rolls it back, or holds it open for <paramref name="hold"/> first.</summary>
    private async Task<Guid?> AppendAsync(bool rollBack, TimeSpan hold = default)
    {
        await using var connection = await db.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        WriteOutcome outcome;
        await using (var session = db.Store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var register = Organisations.Register(Guid.NewGuid());
            outcome = await LedgerWriter.DecideAsync(session, register, LedgerWriter.MetadataOf(register.Actor), new CommandContext(), LedgerDatabase.Origin, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }

        await Task.Delay(hold);
        if (rollBack)
        {
            await transaction.RollbackAsync();
            return null;
        }

        await transaction.CommitAsync();
        return outcome.Events[0].EventId;
    }

    [Fact]
    public async Task Eight_writers_with_rollbacks_a_transaction_held_open_five_seconds_and_a_sealer_killed_mid_pass_give_every_committed_event_one_position()
    {
        var committed = new ConcurrentBag<Guid>();
        var rolledBack = 0;
        using var writing = new CancellationTokenSource(TimeSpan.FromSeconds(4));

        // The sealer is killed (its pass throws before commit) on its fifth pass; a new one takes over.
        var passes = 0;
        var crashing = db.CreateSealer(o => o with { BatchSize = 50, BeforeCommit = (_, _) => Interlocked.Increment(ref passes) == 5 ? throw new IOException("sealer killed") : Task.CompletedTask });
        var replacement = db.CreateSealer(o => o with { BatchSize = 50 });
        var crashed = false;
        using var sealing = new CancellationTokenSource();
        var sealer = Task.Run(async () =>
        {
            while (!sealing.IsCancellationRequested)
            {
                try
                {
                    await (crashed ? replacement : crashing).SealOnceAsync();
                }
                catch (IOException)
                {
                    crashed = true;
                }

                await Task.Delay(10);
            }
        });

        var late = Task.Run(() => AppendAsync(rollBack: false, hold: TimeSpan.FromSeconds(5)));
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            while (!writing.IsCancellationRequested)
            {
                var rollBack = random.NextDouble() < 0.10;
                if (await AppendAsync(rollBack) is { } id)
                {
                    committed.Add(id);
                }
                else
                {
                    Interlocked.Increment(ref rolledBack);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        var lateId = await late;
        committed.Add(lateId!.Value);

        await Eventually.HoldsAsync(async () => (await db.Log.StatusAsync()) is { Unsealed: 0 } status && status.Size == committed.Count, "sealing to catch up", poll: TimeSpan.FromMilliseconds(50));
        await sealing.CancelAsync();
        await sealer;

        Assert.True(crashed, "the sealer was killed mid-pass");
        Assert.True(rolledBack > 0, "some transactions rolled back");
        Assert.True(committed.Count > 100, $"only {committed.Count} events committed");
        Assert.Equal(committed.Count, await db.ScalarAsync<long>("SELECT count(*) FROM ledger_entries"));
        Assert.Equal(committed.Count - 1, await db.ScalarAsync<long>("SELECT max(position) FROM ledger_entries"));
        var sealedIds = new HashSet<Guid>();
        await using (var command = db.Owner.CreateCommand("SELECT event_id FROM ledger_entries"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Assert.True(sealedIds.Add(reader.GetGuid(0)), "an event was sealed twice");
            }
        }

        Assert.True(sealedIds.SetEquals(committed), "the sealed events are exactly the committed ones");
        Assert.Contains(lateId.Value, sealedIds);
        var latePosition = await db.ScalarAsync<long>($"SELECT position FROM ledger_entries WHERE event_id = '{lateId}'");
        Assert.True(latePosition > committed.Count / 2, $"the late committer is sealed when it commits (position {latePosition} of {committed.Count}), after events written long after it began");
    }
}
