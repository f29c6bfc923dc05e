using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IncidentLedger.EventStore.Embedded;

/// <summary>How to start a private PostgreSQL cluster.</summary>
public sealed record PostgresClusterOptions
{
    /// <summary>Where the cluster keeps its files; null makes a temporary folder that is deleted on stop.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The folder holding initdb, pg_ctl and postgres; null searches the usual places.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Extra server settings (name → value), e.g. fsync=off for throwaway test clusters.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The process whose end stops the server (a watchdog sees to it, even if that process is killed); by default this one.</summary>
    public int? WatchedProcessId { get; init; }

    /// <summary>Where a cluster goes when the server's user cannot reach <see cref="DataDirectory"/> (running as root in a mode-700 home); by default /var/lib/incident-ledger.</summary>
    public string? ReachableRoot { get; init; }
}

/// <summary>
/// A private PostgreSQL cluster on loopback, started with the machine's own server binaries
/// (initdb + pg_ctl). Backs the test suites and `dotnet run` when no connection string is configured.
/// As root, the server runs as the `postgres` user through runuser, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string SuperUser = "postgres";
    private readonly string binDirectory;
    private readonly bool temporary;
    private readonly string? runAs;
    private bool stopped;

    private PostgresCluster(string binDirectory, string dataDirectory, int port, bool temporary, string? runAs)
    {
        this.binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        this.temporary = temporary;
        this.runAs = runAs;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>What the start had to do that a person should know: a leftover server stopped, a data folder moved; empty when nothing.</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>A connection string for the superuser; add Database / Search Path as needed.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database=postgres";

    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgresClusterOptions();
        var bin = options.BinDirectory ?? FindBinDirectory();
        if (!File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
        {
            throw new PostgresClusterException($"{bin} holds no initdb and pg_ctl. {InstallHint}");
        }

        var notes = new List<string>();
        var temporary = options.DataDirectory is null;
        var data = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "incident-ledger-pg-" + Guid.NewGuid().ToString("N")[..12]));
        var runAs = Environment.UserName == "root" ? SuperUser : null;

        if (runAs is not null && BlockedAncestor(data, runAs) is { } blocked)
        {
            // initdb and the server run as the postgres user, who cannot enter e.g. /root (mode 700): keep the cluster where it can.
            var moved = ReachablePlaceFor(data, options.ReachableRoot);
            notes.Add($"The {runAs} user cannot enter {blocked}, so the embedded PostgreSQL keeps its data in {moved} instead of {data}.");
            data = moved;
        }

        Directory.CreateDirectory(data);
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", runAs, data], null, cancellationToken);
            await RunAsync("chmod", ["700", data], null, cancellationToken);
            if (BlockedAncestor(data, runAs) is { } stillBlocked)
            {
                throw new PostgresClusterException(
                    $"PostgreSQL runs as the {runAs} user, which cannot enter {stillBlocked}: give it access (chmod o+x {stillBlocked}) or set the data directory (Ledger:DataDirectory) to a folder it can reach.");
            }
        }

        var initialised = File.Exists(Path.Combine(data, "PG_VERSION"));
        if (!initialised)
        {
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], runAs, cancellationToken);
        }
        else if (await StopLeftoverAsync(bin, data, runAs, cancellationToken) is { } leftover)
        {
            notes.Add(leftover);
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : FreePort();
            if (options.Port != 0 && !IsFree(port))
            {
                throw new PostgresClusterException($"Port {port} on 127.0.0.1 is taken, so the embedded PostgreSQL cannot listen there: stop what uses it or choose another port.");
            }

            var cluster = new PostgresCluster(bin, data, port, temporary, runAs) { Notes = notes };
            try
            {
                await cluster.StartServerAsync(options.Settings, cancellationToken);
                var host = options.WatchedProcessId ?? Environment.ProcessId;
                await File.WriteAllTextAsync(Path.Combine(data, HostFile), $"{host} {StartMark(host)}\n", cancellationToken);
                cluster.StartWatchdog(host);
                return cluster;
            }
            catch (PostgresClusterException) when (options.Port == 0 && attempt < 3)
            {
                // Another process took the free port between probing and binding: try another.
            }
        }
    }

    /// <summary>
    /// A server left running on <paramref name="data"/> by a start that crashed is stopped (fast shutdown), so this start never meets
    /// "another postmaster might be running"; a stale postmaster.pid naming no live server is removed. Returns what was done, or null.
    /// </summary>
    private static async Task<string?> StopLeftoverAsync(string bin, string data, string? runAs, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
        if (lines.Length == 0 || !int.TryParse(lines[0].Trim(), out var pid) || !IsPostgres(pid))
        {
            File.Delete(pidFile);
            return null;
        }

        var port = lines.Length > 3 ? lines[3].Trim() : "?";
        if (LiveHost(data) is { } host && host != Environment.ProcessId)
        {
            throw new PostgresClusterException(
                $"Another ledger (pid {host}) is using the embedded PostgreSQL in {data} (port {port}): stop it first, or give this one its own data directory (--Ledger:DataDirectory=<folder>).");
        }

        try
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-w", "-t", "30", "-m", "fast", "-D", data], runAs, cancellationToken);
        }
        catch (PostgresClusterException)
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            await process.WaitForExitAsync(cancellationToken);
        }

        return $"Stopped the embedded PostgreSQL (pid {pid}, port {port}) that an earlier start left running on {data}.";
    }

    /// <summary>The file in the data folder naming the process a server was started for (pid and start time).</summary>
    private const string HostFile = "ledger-host.pid";

    /// <summary>The pid of the process the running server was started for, when that process is still alive (the same pid and start mark).</summary>
    private static int? LiveHost(string data)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(data, HostFile)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return parts.Length == 2 && int.TryParse(parts[0], out var pid) && long.TryParse(parts[1], out var ticks) && ticks != 0 && StartMark(pid) == ticks ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// When process <paramref name="pid"/> started, comparable across processes, or 0 when there is no such process. On Linux it is the
    /// kernel's start time in clock ticks since boot (/proc/pid/stat): Process.StartTime is derived from the boot time each process
    /// reads for itself, which differs between processes by microseconds. Elsewhere it is that start time in whole seconds.
    /// </summary>
    private static long StartMark(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // After "pid (comm) ": state is the 3rd field, starttime the 22nd.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : 0;
            }
            catch (IOException)
            {
                return 0;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }

    /// <summary>True when <paramref name="pid"/> is a live PostgreSQL server process (on Linux, by its name; elsewhere, when it is alive).</summary>
    private static bool IsPostgres(int pid)
    {
        if (File.Exists($"/proc/{pid}/comm"))
        {
            try
            {
                // A server that has exited but not been reaped (a zombie) still has its name: it counts as gone.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 1)..].TrimStart().FirstOrDefault();
                return state is not ('Z' or 'X') && File.ReadAllText($"/proc/{pid}/comm").Trim() is "postgres" or "postmaster";
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a detached watchdog that stops the server (fast shutdown) once <paramref name="hostPid"/> has ended, however it ended,
    /// and deletes a temporary data folder. It leaves alone a server it did not see start (postmaster.pid names another pid),
    /// and ends by itself when the server is stopped normally.
    /// </summary>
    private void StartWatchdog(int hostPid)
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/setsid") && !File.Exists("/bin/setsid"))
        {
            return;
        }

        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault()?.Trim(), out var postmaster))
        {
            return;
        }

        const string script = """
            exec </dev/null >/dev/null 2>&1
            host=$1 pm=$2 data=$3 temporary=$4
            ours() { [ "$(head -n 1 "$data/postmaster.pid" 2>/dev/null)" = "$pm" ]; }
            alive() { [ -r "/proc/$1/stat" ] && ! grep -q ') [ZX] ' "/proc/$1/stat"; }
            while alive "$host" && ours; do sleep 1; done
            if ours; then
              kill -INT "$pm"
              i=0
              while [ -f "$data/postmaster.pid" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
              [ "$temporary" = 1 ] && rm -rf "$data"
            fi
            """;
        string[] watchdog = ["sh", "-c", script, "ledger-pg-watchdog", hostPid.ToString(CultureInfo.InvariantCulture), postmaster.ToString(CultureInfo.InvariantCulture), DataDirectory, temporary ? "1" : "0"];
        var start = new ProcessStartInfo("setsid", runAs is null ? watchdog : ["runuser", "-u", runAs, "--", .. watchdog])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        using var process = Process.Start(start);
    }

    /// <summary>The nearest folder on the way to <paramref name="path"/> that <paramref name="user"/> cannot enter, or null when it can reach it.</summary>
    private static string? BlockedAncestor(string path, string user)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var chain = new List<string>();
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            chain.Add(dir.FullName);
        }

        chain.Reverse();
        foreach (var dir in chain.Where(Directory.Exists))
        {
            if (!CanEnter(dir, user))
            {
                return dir;
            }
        }

        return null;
    }

    private static bool CanEnter(string dir, string user)
    {
        var start = new ProcessStartInfo("runuser", ["-u", user, "--", "test", "-x", dir])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>A folder the server's user can reach, named after the original one so every start of the same checkout finds the same cluster.</summary>
    private static string ReachablePlaceFor(string data, string? root)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(data)))[..12];
        var name = Path.GetFileName(Path.GetDirectoryName(data)) is { Length: > 0 } parent ? $"{parent.TrimStart('.')}-{id}" : id;
        return Path.Combine(root ?? "/var/lib/incident-ledger", name, Path.GetFileName(data));
    }

    private async Task StartServerAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var serverOptions = new StringBuilder($"-p {Port} -c listen_addresses=127.0.0.1 -k {DataDirectory} -c max_connections=200");
        foreach (var (name, value) in settings)
        {
            serverOptions.Append($" -c {name}={value}");
        }

        var log = Path.Combine(DataDirectory, "server.log");
        await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", log, "-o", serverOptions.ToString()], runAs, cancellationToken, () => TailOf(log));
    }

    /// <summary>Stops the server (fast shutdown) and deletes a temporary data folder.</summary>
    public async Task StopAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["stop", "-w", "-m", "fast", "-D", DataDirectory], runAs, CancellationToken.None);
        if (temporary)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>PG_BIN when set (and refused when it holds no server binaries); else /usr/lib/postgresql/*/bin (newest first), then the PATH.</summary>
    public static string FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } fromEnvironment)
        {
            // A folder named explicitly is used or refused, never silently replaced by another server's binaries.
            return File.Exists(Path.Combine(fromEnvironment, "initdb")) && File.Exists(Path.Combine(fromEnvironment, "pg_ctl"))
                ? fromEnvironment
                : throw new PostgresClusterException($"PG_BIN is {fromEnvironment}, which holds no initdb and pg_ctl. {InstallHint}");
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new PostgresClusterException($"PostgreSQL server binaries (initdb, pg_ctl) were not found in PG_BIN, /usr/lib/postgresql/*/bin or the PATH. {InstallHint}");
    }

    private const string InstallHint =
        "Install them (Debian/Ubuntu: apt-get install postgresql), set PG_BIN to their folder, " +
        "or point the ledger at an existing server (LEDGER_TEST_DB for tests, ConnectionStrings:Ledger for the API).";

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string TailOf(string file)
    {
        try
        {
            return string.Join('\n', File.ReadLines(file).TakeLast(15));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? runAs, CancellationToken cancellationToken, Func<string>? diagnostics = null)
    {
        var start = runAs is null
            ? new ProcessStartInfo(program, arguments)
            : new ProcessStartInfo("runuser", ["-u", runAs, "--", program, .. arguments]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = "/";
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start) ?? throw new PostgresClusterException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var detail = (await stderr).Trim() + "\n" + (await stdout).Trim() + "\n" + diagnostics?.Invoke();
            throw new PostgresClusterException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{detail.Trim()}");
        }
    }
}

/// <summary>The private cluster could not be started or stopped; the message says why and how to fix it.</summary>
public sealed class PostgresClusterException(string message) : Exception(message);
