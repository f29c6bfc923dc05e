using System.Diagnostics;
using System.Globalization;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The CPU time this process (client and host) and the whole machine (PostgreSQL among it) have spent so far, so a
/// run can say how much of the machine it used: a rate that needs more than the machine has cannot be kept up.
/// The machine's figures come from /proc/stat and are absent where there is none: what its processes ran, and what
/// the hypervisor of a virtual machine took for others (steal), which no run here controls.
/// </summary>
internal readonly record struct CpuSnapshot(TimeSpan Process, long Timestamp, long MachineBusy, long MachineStolen, long MachineTotal)
{
    public static CpuSnapshot Take()
    {
        var (busy, stolen, total) = ReadProcStat();
        return new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.GetTimestamp(), busy, stolen, total);
    }

    /// <summary>
    /// "process 61% · machine 83% · stolen 5% · 2.1 ms a request": shares of all the machine's cores since
    /// <paramref name="earlier"/>, and the machine's busy CPU time for each of the <paramref name="requests"/> served.
    /// </summary>
    public string Since(CpuSnapshot earlier, long requests)
    {
        var cores = Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp).TotalSeconds * Environment.ProcessorCount;
        var process = cores > 0 ? (Process - earlier.Process).TotalSeconds / cores : 0;
        var total = MachineTotal - earlier.MachineTotal;
        var busy = MachineBusy - earlier.MachineBusy;
        string Share(long ticks) => total > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * ticks / total:0}%") : "n/a";
        var perRequest = MachineMsPerRequest(earlier, requests) is { } ms ? string.Create(CultureInfo.InvariantCulture, $" · {ms:0.00} ms a request") : "";
        return string.Create(CultureInfo.InvariantCulture, $"process {100 * process:0}% · machine {Share(busy)} · stolen {Share(MachineStolen - earlier.MachineStolen)}{perRequest}");
    }

    /// <summary>The machine's busy CPU time in milliseconds for each of the <paramref name="requests"/> served since <paramref name="earlier"/>; null without /proc/stat.</summary>
    public double? MachineMsPerRequest(CpuSnapshot earlier, long requests)
    {
        var cores = Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp).TotalSeconds * Environment.ProcessorCount;
        var total = MachineTotal - earlier.MachineTotal;
        return total > 0 && requests > 0 ? 1000.0 * cores * (MachineBusy - earlier.MachineBusy) / total / requests : null;
    }

    /// <summary>This process's CPU time (client and host) in milliseconds for each of the <paramref name="requests"/> served since <paramref name="earlier"/>.</summary>
    public double? ProcessMsPerRequest(CpuSnapshot earlier, long requests) =>
        requests > 0 ? (Process - earlier.Process).TotalMilliseconds / requests : null;

    // The first line of /proc/stat: user nice system idle iowait irq softirq steal, in clock ticks. Busy is what is neither
    // idle, waiting for I/O nor stolen.
    private static (long Busy, long Stolen, long Total) ReadProcStat()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4] - fields[7], fields[7], total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0, 0);
        }
    }
}
