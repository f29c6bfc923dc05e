using System.Diagnostics;
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

        var temporary = options.DataDirectory is null;
        var data = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "incident-ledger-pg-" + Guid.NewGuid().ToString("N")[..12]));
        var runAs = Environment.UserName == "root" ? SuperUser : null;

        Directory.CreateDirectory(data);
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", runAs, data], null, cancellationToken);
            await RunAsync("chmod", ["700", data], null, cancellationToken);
        }

        var initialised = File.Exists(Path.Combine(data, "PG_VERSION"));
        if (!initialised)
        {
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], runAs, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 ? options.Port : FreePort();
            var cluster = new PostgresCluster(bin, data, port, temporary, runAs);
            try
            {
                await cluster.StartServerAsync(options.Settings, cancellationToken);
                return cluster;
            }
            catch (PostgresClusterException) when (options.Port == 0 && attempt < 3)
            {
                // Another process took the free port between probing and binding: try another.
            }
        }
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

    /// <summary>Looks in PG_BIN, /usr/lib/postgresql/*/bin (newest first), then the PATH.</summary>
    public static string FindBinDirectory()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
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
