namespace IncidentLedger.GraphQL.Execution;

/// <summary>Loads many keys in one call; keys without a value are simply absent from the result.</summary>
public delegate ValueTask<IReadOnlyDictionary<TKey, TValue>> BatchLoader<TKey, TValue>(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    where TKey : notnull;

/// <summary>
/// Batches and caches loads for one request: keys requested while the executor still has work to do are collected,
/// and when it has none left the batch function is called once for all of them. Each key is loaded at most once per request.
/// </summary>
public sealed class DataLoader<TKey, TValue> : IPendingBatch
    where TKey : notnull
{
    private readonly BatchLoader<TKey, TValue> _batch;
    private readonly BatchScheduler _scheduler;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<TKey, Task<TValue?>> _cache = [];
    private readonly object _gate = new();
    private Dictionary<TKey, TaskCompletionSource<TValue?>>? _pending;

    internal DataLoader(BatchLoader<TKey, TValue> batch, BatchScheduler scheduler, CancellationToken cancellationToken)
    {
        _batch = batch;
        _scheduler = scheduler;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Number of batch calls made so far.</summary>
    public int BatchCount { get; private set; }

    /// <summary>Loads one key; completes when its batch has run. A key absent from the batch result yields default.</summary>
    public Task<TValue?> LoadAsync(TKey key)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var first = _pending is null;
            _pending ??= [];
            var tcs = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[key] = tcs;
            _cache[key] = tcs.Task;
            if (first)
            {
                _scheduler.Enqueue(this);
            }

            return tcs.Task;
        }
    }

    /// <summary>Loads several keys in the same batch.</summary>
    public async Task<IReadOnlyList<TValue?>> LoadManyAsync(IEnumerable<TKey> keys)
    {
        // Awaited one by one rather than through Task.WhenAll, whose completion hops to the thread pool: resuming on the
        // request's strand with the batch's other continuations lets the keys this adds join the next batch, not a later one.
        var tasks = keys.Select(LoadAsync).ToList();
        var values = new TValue?[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            values[i] = await tasks[i];
        }

        return values;
    }

    async Task IPendingBatch.DispatchAsync()
    {
        Dictionary<TKey, TaskCompletionSource<TValue?>> batch;
        lock (_gate)
        {
            if (_pending is null)
            {
                return;
            }

            batch = _pending;
            _pending = null;
            BatchCount++;
        }

        try
        {
            var result = await _batch(batch.Keys.ToList(), _cancellationToken);
            foreach (var (key, tcs) in batch)
            {
                tcs.TrySetResult(result.TryGetValue(key, out var value) ? value : default);
            }
        }
        catch (Exception ex)
        {
            foreach (var tcs in batch.Values)
            {
                tcs.TrySetException(ex);
            }
        }
    }
}

/// <summary>A DataLoader with keys waiting for their batch call.</summary>
internal interface IPendingBatch
{
    Task DispatchAsync();
}

/// <summary>
/// Collects the loaders that have pending keys until the executor has nothing else to run. While batches are in
/// flight no new ones start: their results let sibling resolvers add more keys, which then share one batch call per
/// loader instead of one per batch that happened to finish first. (So a batch function must not wait on a loader.)
/// </summary>
internal sealed class BatchScheduler
{
    private readonly List<IPendingBatch> _queue = [];
    private readonly Action? _onEnqueue;
    private readonly Action? _onSettled;
    private int _inFlight;

    public BatchScheduler(Action? onEnqueue = null, Action? onSettled = null)
    {
        _onEnqueue = onEnqueue;
        _onSettled = onSettled;
    }

    public bool HasPending
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count > 0;
            }
        }
    }

    /// <summary>Whether pending batches may start now: some are waiting and none is in flight.</summary>
    public bool CanDispatch => HasPending && Volatile.Read(ref _inFlight) == 0;

    public void Enqueue(IPendingBatch batch)
    {
        lock (_queue)
        {
            _queue.Add(batch);
        }

        _onEnqueue?.Invoke();
    }

    public void DispatchAll()
    {
        List<IPendingBatch> batches;
        lock (_queue)
        {
            batches = [.. _queue];
            _queue.Clear();
        }

        foreach (var b in batches)
        {
            _ = TrackAsync(b);
        }
    }

    private async Task TrackAsync(IPendingBatch batch)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await batch.DispatchAsync();
        }
        finally
        {
            // The last batch of a wave settling is what lets the next wave start.
            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                _onSettled?.Invoke();
            }
        }
    }
}
