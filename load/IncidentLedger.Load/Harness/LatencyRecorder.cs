using System.Collections.Concurrent;
using System.Diagnostics;

namespace IncidentLedger.Load.Harness;

/// <summary>Collects per-operation latencies from many workers and reports percentiles.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentBag<List<double>> perWorker = [];

    public Sink CreateSink()
    {
        var samples = new List<double>(1 << 16);
        perWorker.Add(samples);
        return new Sink(samples);
    }

    public LatencySummary Summarise() => Summarise(perWorker.SelectMany(s => s));

    /// <summary>Percentiles of any set of latencies in milliseconds.</summary>
    public static LatencySummary Summarise(IEnumerable<double> milliseconds)
    {
        var all = milliseconds.ToArray();
        Array.Sort(all);
        return new LatencySummary(all.Length, Percentile(all, 0.50), Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1]);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>One worker's private list: no contention on the hot path.</summary>
    public readonly struct Sink(List<double> samples)
    {
        public void Record(long startTimestamp) => samples.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
    }
}

public sealed record LatencySummary(long Count, double P50Ms, double P99Ms, double MaxMs);
