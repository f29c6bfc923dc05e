namespace IncidentLedger.GraphQL.Execution;

/// <summary>
/// Runs one request's execution as a single logical thread, like Node's event loop: continuations are queued here
/// and run one at a time. When nothing is runnable, pending DataLoader batches are dispatched — this is the "tick"
/// that lets every sibling resolver add its keys before one batch call is made. A new wave of batches waits for the
/// one in flight, so a page of results costs one batch call per loader and level, however its loads finish.
/// </summary>
internal sealed class RequestStrand : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();
    private TaskCompletionSource? _wake;

    public BatchScheduler Batches { get; }

    // A settled wave wakes the strand, whichever thread its last batch finished on.
    public RequestStrand() => Batches = new BatchScheduler(onSettled: () => Post(static _ => { }, null));

    public override void Post(SendOrPostCallback d, object? state)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            _queue.Enqueue((d, state));
            wake = _wake;
            _wake = null;
        }

        wake?.TrySetResult();
    }

    public override void Send(SendOrPostCallback d, object? state) => Post(d, state);

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="start"/> and everything it schedules until its task completes.</summary>
    public async Task<T> RunAsync<T>(Func<ValueTask<T>> start, CancellationToken cancellationToken)
    {
        var previous = Current;
        ValueTask<T> root;
        SetSynchronizationContext(this);
        try
        {
            root = start();
            Drain();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }

        if (root.IsCompleted)
        {
            return root.Result;
        }

        var task = root.AsTask();
        while (!task.IsCompleted)
        {
            Task wake;
            lock (_gate)
            {
                if (_queue.Count > 0)
                {
                    wake = Task.CompletedTask;
                }
                else if (Batches.CanDispatch)
                {
                    wake = Task.CompletedTask;
                }
                else
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wake = _wake.Task;
                }
            }

            if (!wake.IsCompleted)
            {
                await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            SetSynchronizationContext(this);
            try
            {
                Drain();
                if (!task.IsCompleted && Batches.CanDispatch && QueueEmpty())
                {
                    Batches.DispatchAll();
                    Drain();
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }

        return await task.ConfigureAwait(false);
    }

    private bool QueueEmpty()
    {
        lock (_gate)
        {
            return _queue.Count == 0;
        }
    }

    private void Drain()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) item;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    return;
                }

                item = _queue.Dequeue();
            }

            item.Callback(item.State);
        }
    }
}
