using System.Diagnostics;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// A closed-loop load: N workers each repeat an operation back to back for a fixed time.
/// Bounded by duration; every operation's latency is recorded.
/// </summary>
public static class ClosedLoop
{
    public static async Task<LoopResult> RunAsync(int workers, TimeSpan duration, Func<int, Func<CancellationToken, Task>> createWorker, CancellationToken cancellationToken = default)
    {
        var recorder = new LatencyRecorder();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var operations = new long[workers];
        var errors = new long[workers];
        var started = Stopwatch.StartNew();
        stop.CancelAfter(duration);
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var operation = createWorker(w);
            var sink = recorder.CreateSink();
            while (!stop.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await operation(CancellationToken.None);
                    sink.Record(t0);
                    operations[w]++;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    errors[w]++;
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(tasks);
        return new LoopResult(operations.Sum(), errors.Sum(), started.Elapsed, recorder.Summarise());
    }
}

public sealed record LoopResult(long Operations, long Errors, TimeSpan Elapsed, LatencySummary Latency)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
}
