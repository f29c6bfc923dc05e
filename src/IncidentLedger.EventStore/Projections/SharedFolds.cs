using System.Collections.Immutable;
using IncidentLedger.Domain.ReadModels;

namespace IncidentLedger.EventStore.Projections;

/// <summary>Some streams' state, folded up to a point of the log: the view and each stream's last version.</summary>
internal readonly record struct Folded(LedgerView View, ImmutableDictionary<string, long> Versions)
{
    public static Folded Empty { get; } = new(LedgerView.WithoutTimelines, ImmutableDictionary<string, long>.Empty);
}

/// <summary>
/// The whole ledger's state at the ends of the read models' latest batches, shared by the read models of one
/// store. The fold of the events up to a sequence number, leaving out a given set of skipped events, is the same
/// whichever read model computes it, so the first to reach a batch's end folds it and the others take that state:
/// each event is folded once, and the process keeps one copy of the ledger rather than one per read model. Only
/// the <see cref="Capacity"/> highest sequence numbers are kept; a read model further behind folds for itself.
/// </summary>
internal sealed class SharedFolds
{
    public const int Capacity = 8;

    private readonly Lock gate = new();

    private readonly SortedList<(long Sequence, string Skipped), Task<Folded>> folds = [];

    /// <summary>
    /// The whole ledger's state after the events up to <paramref name="sequence"/> without the <paramref name="skipped"/>
    /// ones: the state another read model folded (awaited, without holding a thread, while it is still folding), or
    /// <paramref name="fold"/>'s, which the others then take. A fold that fails is not kept.
    /// </summary>
    public Task<Folded> GetOrFoldAsync(long sequence, IReadOnlySet<long> skipped, Func<Folded> fold)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(fold);
        var key = (sequence, KeyOf(skipped));
        var folding = new TaskCompletionSource<Folded>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (folds.TryGetValue(key, out var shared))
            {
                return shared;
            }

            folds.Add(key, folding.Task);
            while (folds.Count > Capacity)
            {
                folds.RemoveAt(0);
            }
        }

        try
        {
            folding.SetResult(fold());
        }
        catch (Exception e)
        {
            lock (gate)
            {
                if (folds.TryGetValue(key, out var kept) && kept == folding.Task)
                {
                    folds.Remove(key);
                }
            }

            folding.SetException(e);
        }

        return folding.Task;
    }

    /// <summary>The whole ledger's state at <paramref name="sequence"/> if a read model has folded it and it is still kept.</summary>
    public bool TryGet(long sequence, IReadOnlySet<long> skipped, out Folded state)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        Task<Folded>? shared;
        lock (gate)
        {
            folds.TryGetValue((sequence, KeyOf(skipped)), out shared);
        }

        if (shared is { IsCompletedSuccessfully: true })
        {
            state = shared.Result;
            return true;
        }

        state = default;
        return false;
    }

    private static string KeyOf(IReadOnlySet<long> skipped) =>
        skipped.Count == 0 ? "" : string.Join(',', skipped.Order());
}
