using System.Globalization;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The process's garbage-collection pauses, collections and allocations so far, and its heap after the latest
/// collection (client, host and daemon share the process).
/// </summary>
internal readonly record struct GcSnapshot(TimeSpan Paused, int Gen0, int Gen1, int Gen2, long Allocated)
{
    public static GcSnapshot Take() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());

    /// <summary>Table cells: paused (collections gen 0 / 1 / 2) | allocated | heap after.</summary>
    public string Since(GcSnapshot earlier) =>
        string.Create(CultureInfo.InvariantCulture, $"{(Paused - earlier.Paused).TotalMilliseconds:0} ms ({Gen0 - earlier.Gen0} / {Gen1 - earlier.Gen1} / {Gen2 - earlier.Gen2}) | {Megabytes(Allocated - earlier.Allocated)} | {Megabytes(GC.GetGCMemoryInfo().HeapSizeBytes)}");

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0} MB");
}
