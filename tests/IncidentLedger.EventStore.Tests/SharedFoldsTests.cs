using System.Collections.Immutable;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Projections;

namespace IncidentLedger.EventStore.Tests;

/// <summary>The whole-ledger states the read models of one store share: folded once per batch end and skip set.</summary>
public sealed class SharedFoldsTests
{
    private static readonly HashSet<long> NoSkips = [];

    private static Folded StateAt(long sequence) =>
        new(LedgerView.WithoutTimelines, ImmutableDictionary<string, long>.Empty.Add("stream", sequence));

    [Fact]
    public async Task Read_models_ending_a_batch_at_the_same_event_take_the_first_ones_fold()
    {
        var shared = new SharedFolds();
        var folds = 0;
        var first = await shared.GetOrFoldAsync(10, NoSkips, () => { folds++; return StateAt(10); });
        var second = await shared.GetOrFoldAsync(10, NoSkips, () => { folds++; return StateAt(99); });

        Assert.Equal(1, folds);
        Assert.Equal(first, second);
        Assert.True(shared.TryGet(10, NoSkips, out var taken));
        Assert.Equal(first, taken);
        Assert.False(shared.TryGet(11, NoSkips, out _));
    }

    [Fact]
    public async Task A_read_model_that_skips_other_events_folds_for_itself()
    {
        var shared = new SharedFolds();
        await shared.GetOrFoldAsync(10, NoSkips, () => StateAt(10));
        var skipping = await shared.GetOrFoldAsync(10, new HashSet<long> { 7 }, () => StateAt(77));

        Assert.Equal(77, skipping.Versions["stream"]);
        Assert.False(shared.TryGet(10, new HashSet<long> { 8 }, out _));
        Assert.True(shared.TryGet(10, new HashSet<long> { 7 }, out var taken));
        Assert.Equal(77, taken.Versions["stream"]);
    }

    [Fact]
    public async Task A_fold_that_fails_is_not_kept_and_the_next_read_model_folds_again()
    {
        var shared = new SharedFolds();
        await Assert.ThrowsAsync<InvalidOperationException>(() => shared.GetOrFoldAsync(10, NoSkips, () => throw new InvalidOperationException("bad event")));

        Assert.False(shared.TryGet(10, NoSkips, out _));
        var again = await shared.GetOrFoldAsync(10, NoSkips, () => StateAt(10));
        Assert.Equal(10, again.Versions["stream"]);
    }

    [Fact]
    public async Task Read_models_waiting_for_a_fold_in_progress_get_it_without_folding()
    {
        var shared = new SharedFolds();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var folding = Task.Run(() => shared.GetOrFoldAsync(10, NoSkips, () =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return StateAt(10);
        }));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));

        var waiting = shared.GetOrFoldAsync(10, NoSkips, () => throw new InvalidOperationException("folded twice"));
        Assert.False(waiting.IsCompleted);
        Assert.False(shared.TryGet(10, NoSkips, out _));
        release.Set();

        Assert.Equal(10, (await waiting).Versions["stream"]);
        Assert.Equal(10, (await folding).Versions["stream"]);
    }

    [Fact]
    public async Task Only_the_latest_batch_ends_are_kept_so_a_replay_of_old_events_does_not_push_them_out()
    {
        var shared = new SharedFolds();
        for (var sequence = 1; sequence <= SharedFolds.Capacity + 5; sequence++)
        {
            var at = sequence;
            await shared.GetOrFoldAsync(at, NoSkips, () => StateAt(at));
        }

        // A rebuild folding from the start of the log gets its own fold, which is not kept in place of the latest.
        var replayed = await shared.GetOrFoldAsync(2, NoSkips, () => StateAt(2));
        Assert.Equal(2, replayed.Versions["stream"]);

        Assert.False(shared.TryGet(2, NoSkips, out _));
        Assert.False(shared.TryGet(5, NoSkips, out _));
        for (var sequence = 6; sequence <= SharedFolds.Capacity + 5; sequence++)
        {
            Assert.True(shared.TryGet(sequence, NoSkips, out var kept), $"the fold at {sequence} was dropped");
            Assert.Equal(sequence, kept.Versions["stream"]);
        }
    }
}
