using System.Diagnostics;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// An open-loop load: operations start on schedule (a fixed rate) whether or not earlier ones
/// finished, the way independent clients arrive. Bounded by duration.
/// </summary>
public static class OpenLoop
{
    /// <returns>How many operations were started and the rate actually achieved.</returns>
    public static async Task<(int Sent, double Rate)> RunAsync(int rate, TimeSpan duration, Func<int, Task> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        var sent = 0;
        while (clock.Elapsed < duration)
        {
            var due = interval * sent;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            inFlight.Add(operation(sent++));
        }

        await Task.WhenAll(inFlight);
        return (sent, sent / clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Starts operations on schedule and times each from when it was due to start rather than from when it
    /// did, so a client or server that falls behind shows in the latency instead of hiding as a lower rate.
    /// An operation returns whether its answer was right; one still running <paramref name="grace"/> after
    /// the last start is cancelled and counted as timed out, which keeps an overloaded run bounded.
    /// </summary>
    public static async Task<OpenLoopResult> MeasureAsync(int rate, TimeSpan duration, TimeSpan grace, Func<int, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var capacity = (int)Math.Ceiling(rate * duration.TotalSeconds) + 1;
        var latencies = new double[capacity];
        var outcomes = new Outcome[capacity];
        var ticksPerOperation = (double)Stopwatch.Frequency / rate;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new List<Task>(capacity);
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < capacity && Stopwatch.GetElapsedTime(start) < duration)
        {
            var intended = start + (long)(sent * ticksPerOperation);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intended);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            inFlight.Add(RunOneAsync(sent++, intended));
        }

        var scheduleEnded = Stopwatch.GetTimestamp();
        deadline.CancelAfter(grace);
        await Task.WhenAll(inFlight);
        var drained = Stopwatch.GetElapsedTime(scheduleEnded);
        // A timed-out operation counts with the time it was given up at: a lower bound, but leaving it out would flatter the tail.
        var done = Enumerable.Range(0, sent).Where(i => outcomes[i] != Outcome.Failed).Select(i => latencies[i]);
        var quarter = sent / 4;
        return new OpenLoopResult(
            rate, sent, Stopwatch.GetElapsedTime(start, scheduleEnded), drained,
            outcomes.Take(sent).Count(o => o == Outcome.Failed), outcomes.Take(sent).Count(o => o == Outcome.TimedOut),
            LatencyRecorder.Summarise(done),
            LatencyRecorder.Summarise(latencies.Take(quarter)).P50Ms, LatencyRecorder.Summarise(latencies.Skip(sent - quarter).Take(quarter)).P50Ms,
            latencies.Take(sent).Chunk(rate).Select(second => LatencyRecorder.Summarise(second).P99Ms).ToArray());

        async Task RunOneAsync(int index, long intended)
        {
            try
            {
                outcomes[index] = await operation(index, deadline.Token) ? Outcome.Succeeded : Outcome.Failed;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                outcomes[index] = Outcome.TimedOut;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
            {
                outcomes[index] = Outcome.Failed;
            }

            latencies[index] = Stopwatch.GetElapsedTime(intended).TotalMilliseconds;
        }
    }

    private enum Outcome : byte
    {
        Failed,
        Succeeded,
        TimedOut,
    }
}

/// <summary>An open-loop run: what was offered and started, how long the backlog took to clear after the last start, and the answers' latency.</summary>
/// <param name="FirstQuarterP50Ms">The median latency of the first quarter of the operations started, to compare with the last quarter's.</param>
/// <param name="SecondP99Ms">The p99 of the operations started in each second of the schedule: whether the tail is spread or comes in bursts.</param>
public sealed record OpenLoopResult(int Rate, int Sent, TimeSpan Scheduled, TimeSpan Drained, int Failed, int TimedOut, LatencySummary Latency, double FirstQuarterP50Ms, double LastQuarterP50Ms, IReadOnlyList<double> SecondP99Ms)
{
    /// <summary>The median and the worst of the seconds' p99.</summary>
    public (double Median, double Worst) SecondP99Spread => SecondP99Ms.Count == 0 ? (0, 0) : (SecondP99Ms.Order().ElementAt(SecondP99Ms.Count / 2), SecondP99Ms.Max());

    /// <summary>The rate the operations actually started at.</summary>
    public double StartedPerSecond => Sent / Scheduled.TotalSeconds;

    /// <summary>Completions per second over the whole run, the drain after the last start included.</summary>
    public double CompletedPerSecond => (Sent - Failed - TimedOut) / (Scheduled + Drained).TotalSeconds;

    /// <summary>
    /// Kept up (no backlog): every operation answered rightly, they started and completed at 95 % of the rate or more, the
    /// last ones cleared within 200 ms of the schedule ending, and latency did not grow through the run (the last quarter's
    /// median within twice the first quarter's plus 20 ms). A server that falls behind builds a queue: latency climbs and the
    /// drain lengthens; one whose queue forms early and then holds still drains late.
    /// </summary>
    public bool KeptUp => Failed == 0 && TimedOut == 0 && StartedPerSecond >= 0.95 * Rate && CompletedPerSecond >= 0.95 * Rate
        && Drained < TimeSpan.FromMilliseconds(200) && LastQuarterP50Ms <= 2 * FirstQuarterP50Ms + 20;
}
