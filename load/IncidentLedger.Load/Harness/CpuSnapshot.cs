using System.Diagnostics;
using System.Globalization;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The CPU time this process (client and host), PostgreSQL and the whole machine have spent so far, so a run can say how
/// much of the machine it used: a rate that needs more than the machine has cannot be kept up.
/// <list type="bullet">
/// <item>This process's time and PostgreSQL's are the kernel's account of each process (/proc/[pid]/stat: what each
/// <c>postgres</c> process on this machine ran, and what the postmaster's exited backends ran).</item>
/// <item>The machine's busy share and what the hypervisor of a virtual machine took for others (steal), which no run here
/// controls, come from /proc/stat. The kernel samples those at its clock tick, so when short bursts of work wake idle
/// cores between ticks they read low, even below this process's share.</item>
/// </list>
/// Without /proc, PostgreSQL's time reads as zero and the machine's shares as n/a.
/// </summary>
internal readonly record struct CpuSnapshot(TimeSpan Process, TimeSpan Postgres, long Timestamp, long MachineBusy, long MachineStolen, long MachineTotal)
{
    public static CpuSnapshot Take()
    {
        var (busy, stolen, total) = ReadProcStat();
        return new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, ReadPostgres(), Stopwatch.GetTimestamp(), busy, stolen, total);
    }

    /// <summary>
    /// "process 41% · PostgreSQL 30% · machine 83% · stolen 5% · 1.8 ms a request": shares of all the machine's cores since
    /// <paramref name="earlier"/>, and the CPU time of this process and PostgreSQL for each of the <paramref name="requests"/> served.
    /// </summary>
    public string Since(CpuSnapshot earlier, long requests)
    {
        var cores = Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp).TotalSeconds * Environment.ProcessorCount;
        string Share(TimeSpan time) => cores > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100 * time.TotalSeconds / cores:0}%") : "n/a";
        var total = MachineTotal - earlier.MachineTotal;
        string MachineShare(long ticks) => total > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * ticks / total:0}%") : "n/a";
        var perRequest = MsPerRequest(earlier, requests) is { } ms ? string.Create(CultureInfo.InvariantCulture, $" · {ms:0.00} ms a request") : "";
        return $"process {Share(Process - earlier.Process)} · PostgreSQL {Share(Postgres - earlier.Postgres)} · machine {MachineShare(MachineBusy - earlier.MachineBusy)} · stolen {MachineShare(MachineStolen - earlier.MachineStolen)}{perRequest}";
    }

    /// <summary>The CPU time in milliseconds of this process and PostgreSQL together for each of the <paramref name="requests"/> served since <paramref name="earlier"/>.</summary>
    public double? MsPerRequest(CpuSnapshot earlier, long requests) =>
        requests > 0 ? (Process - earlier.Process + Postgres - earlier.Postgres).TotalMilliseconds / requests : null;

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

    // Linux reports process times in units of 1/100 s (USER_HZ) on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>
    /// What the machine's <c>postgres</c> processes have run: each one's own time and its reaped children's (fields 14–17 of
    /// /proc/[pid]/stat), so a backend that exited between two snapshots is counted in its postmaster's.
    /// </summary>
    private static TimeSpan ReadPostgres()
    {
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!char.IsAsciiDigit(Path.GetFileName(directory)[0]))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // "pid (comm) state ppid ...": the command name may hold spaces, so the fields are counted from its closing parenthesis.
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat.AsSpan(open + 1, close - open - 1) is not "postgres")
                {
                    continue;
                }

                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                    + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process exited while being read, or its entry is not readable.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
