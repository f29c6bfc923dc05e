using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IncidentLedger.EventStore.Embedded;
using IncidentLedger.Testing;
using Npgsql;

namespace IncidentLedger.Api.Tests;

/// <summary>The snags of a first start, tried the way a newcomer meets them: a taken port, missing binaries, a leftover server, a crashed host, an unreachable checkout.</summary>
public sealed class EmbeddedStartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool HasServerBinaries()
    {
        try
        {
            PostgresCluster.FindBinDirectory();
            return true;
        }
        catch (PostgresClusterException)
        {
            return false;
        }
    }

    private static string TempFolder(string name) => Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid().ToString("N")[..8]}");

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connectionString + ";Pooling=false");
        await using var command = source.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct));
    }

    /// <summary>A live postgres process; one that exited but was not reaped by its parent (a zombie) is not.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat.Contains("(postgres)", StringComparison.Ordinal) && stat[(stat.LastIndexOf(')') + 1)..].TrimStart()[0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int PostmasterPid(PostgresCluster cluster) => int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First());

    /// <summary>Runs the API as a newcomer would (`dotnet IncidentLedger.Api.dll`), in a folder of its own, and returns its exit code and output.</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> RunApiAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var folder = TempFolder("api-start");
        Directory.CreateDirectory(folder);
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IncidentLedger.Api.dll"), .. args])
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                // A start that did not end by itself (the snag was not met) must not outlive the test.
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_taken_port_is_named_in_one_line_with_how_to_pick_another()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var keys = TempFolder("keys");
        try
        {
            var (code, stdout, stderr) = await RunApiAsync(
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Ledger"] = await TestPostgres.GetConnectionStringAsync(),
                    ["Ledger__Schema"] = "port_" + Guid.NewGuid().ToString("N")[..8],
                    ["Ledger__DataDirectory"] = keys,
                    ["Ledger__RunWorkers"] = "false",
                    ["ASPNETCORE_ENVIRONMENT"] = "Development",
                },
                "--urls", $"http://127.0.0.1:{port}");

            Assert.Equal(3, code);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Port {port} is taken", line);
            Assert.Contains("--urls", line);
            Assert.DoesNotContain("   at ", stdout + stderr);
        }
        finally
        {
            if (Directory.Exists(keys))
            {
                Directory.Delete(keys, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Missing_server_binaries_say_in_one_line_how_to_install_them()
    {
        var (code, stdout, stderr) = await RunApiAsync(new Dictionary<string, string> { ["PG_BIN"] = "/nonexistent/postgresql/bin" }, "--urls", "http://127.0.0.1:0");
        Assert.Equal(3, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("apt-get install postgresql", line);
        Assert.Contains("ConnectionStrings:Ledger", line);
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Fact]
    public async Task A_server_left_running_by_a_crashed_start_is_stopped_and_the_cluster_starts_on_its_data()
    {
        Assert.SkipUnless(HasServerBinaries(), "no PostgreSQL server binaries here");
        var folder = TempFolder("leftover");
        try
        {
            var crashed = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = folder }, Ct);
            await ScalarAsync(crashed.ConnectionString, "CREATE TABLE kept AS SELECT 42 AS v");
            var leftover = PostmasterPid(crashed);
            // The start that owned it is gone: its record names a process that no longer exists; the server was never stopped.
            await File.WriteAllTextAsync(Path.Combine(folder, "ledger-host.pid"), "999999 1\n", Ct);

            await using var again = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = folder }, Ct);
            Assert.Contains(again.Notes, n => n.Contains($"Stopped the embedded PostgreSQL (pid {leftover}"));
            Assert.False(Alive(leftover));
            Assert.Equal(42, await ScalarAsync(again.ConnectionString, "SELECT v FROM kept"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_server_whose_host_is_alive_is_not_taken_over_and_the_watchdog_stops_it_when_the_host_dies()
    {
        Assert.SkipUnless(HasServerBinaries() && File.Exists("/usr/bin/setsid"), "needs PostgreSQL server binaries and setsid");
        var folder = TempFolder("watched");
        using var host = Process.Start(new ProcessStartInfo("sleep", ["300"]) { UseShellExecute = false })!;
        try
        {
            var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = folder, WatchedProcessId = host.Id }, Ct);
            var postmaster = PostmasterPid(cluster);

            var refused = await Assert.ThrowsAsync<PostgresClusterException>(() => PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = folder }, Ct));
            Assert.Contains($"Another ledger (pid {host.Id}) is using the embedded PostgreSQL", refused.Message);
            Assert.True(Alive(postmaster));

            host.Kill();
            await host.WaitForExitAsync(Ct);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (Alive(postmaster) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, Ct);
            }

            Assert.False(Alive(postmaster), "the watchdog stops the server once its host has died");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_second_start_while_the_first_runs_says_so_in_one_line_and_leaves_its_server_running()
    {
        Assert.SkipUnless(HasServerBinaries() && File.Exists("/usr/bin/setsid"), "needs PostgreSQL server binaries and setsid");
        var folder = TempFolder("running");
        using var first = Process.Start(new ProcessStartInfo("sleep", ["300"]) { UseShellExecute = false })!;
        try
        {
            // The first start's server, recorded for its host by this process; the second start reads that record in a process of its own.
            var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = Path.Combine(folder, "postgres"), WatchedProcessId = first.Id }, Ct);
            var postmaster = PostmasterPid(cluster);

            var (code, stdout, stderr) = await RunApiAsync(new Dictionary<string, string> { ["Ledger__DataDirectory"] = folder }, "--urls", "http://127.0.0.1:0");

            Assert.Equal(3, code);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Another ledger (pid {first.Id}) is using the embedded PostgreSQL", line);
            Assert.DoesNotContain("   at ", stdout + stderr);
            Assert.True(Alive(postmaster));
            await cluster.StopAsync();
        }
        finally
        {
            first.Kill();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task As_root_a_data_folder_the_postgres_user_cannot_enter_is_kept_where_it_can()
    {
        Assert.SkipUnless(!OperatingSystem.IsWindows() && HasServerBinaries() && Environment.UserName == "root", "only root runs the server as the postgres user");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var home = TempFolder("home700");
        var reachable = TempFolder("reachable");
        Directory.CreateDirectory(Path.Combine(home, "checkout"));
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var wanted = Path.Combine(home, "checkout", ".ledger", "postgres");
            await using var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = wanted, ReachableRoot = reachable }, Ct);
            Assert.StartsWith(reachable, cluster.DataDirectory);
            Assert.Contains(cluster.Notes, n => n.Contains($"cannot enter {home}") && n.Contains(cluster.DataDirectory));
            Assert.Equal(1, await ScalarAsync(cluster.ConnectionString, "SELECT 1"));

            await cluster.StopAsync();
            // The next start of the same checkout finds the same cluster.
            await using var again = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = wanted, ReachableRoot = reachable }, Ct);
            Assert.Equal(cluster.DataDirectory, again.DataDirectory);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(home, recursive: true);
            if (Directory.Exists(reachable))
            {
                Directory.Delete(reachable, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Stopped_while_it_loads_the_demo_the_host_stops_in_order_and_leaves_no_server_running()
    {
        Assert.SkipUnless(HasServerBinaries(), "needs PostgreSQL server binaries");
        var folder = TempFolder("demo-stop");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IncidentLedger.Api.dll"), "--demo", "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["Ledger__DataDirectory"] = folder },
        };
        using var process = Process.Start(start)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            var stdout = new System.Text.StringBuilder();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(90));

            // The demo load begins once the host has started: stop it then, as Ctrl+C or a service manager would.
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                stdout.AppendLine(line);
                if (line.Contains("Application started", StringComparison.Ordinal))
                {
                    using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    await term.WaitForExitAsync(timeout.Token);
                    break;
                }
            }

            stdout.Append(await process.StandardOutput.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
            var output = stdout + await stderr;
            Assert.True(process.ExitCode == 0, output);
            Assert.Contains("Application is shutting down", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            var postmaster = Path.Combine(folder, "postgres", "postmaster.pid");
            await Eventually.HoldsAsync(() => Task.FromResult(!File.Exists(postmaster)), "the embedded server to stop", TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Known_start_failures_get_one_line_and_anything_else_is_left_to_the_runtime()
    {
        var bind = new IOException("Failed to bind to address http://[::]:8080: address already in use.", new Microsoft.AspNetCore.Connections.AddressInUseException("Address already in use"));
        Assert.StartsWith("Port 8080 is taken (http://[::]:8080)", Hosting.LedgerStartProblems.Explain(bind));
        Assert.Equal("The token signing key could not be loaded: bad", Hosting.LedgerStartProblems.Explain(new Hosting.LedgerStartException("The token signing key could not be loaded: bad")));
        var initdb = new PostgresClusterException("initdb -D /x failed with exit code 1:\ninitdb: could not change directory to \"/root/x\": Permission denied\nmore");
        Assert.Equal("The embedded PostgreSQL could not start: initdb -D /x failed with exit code 1: (initdb: could not change directory to \"/root/x\": Permission denied)", Hosting.LedgerStartProblems.Explain(new InvalidOperationException("wrapped", initdb)));
        Assert.Null(Hosting.LedgerStartProblems.Explain(new InvalidOperationException("a bug")));
    }

    [Fact]
    public async Task A_token_key_file_that_cannot_be_read_ends_the_start_in_one_line()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"bad-token-key-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(bad, "not a key", Ct);
        try
        {
            var (code, stdout, stderr) = await RunApiAsync(new Dictionary<string, string> { ["Ledger__Authentication__SigningKeyFile"] = bad }, "--urls", "http://127.0.0.1:0");
            Assert.Equal(3, code);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(bad, line);
            Assert.Contains("Delete it", line);
            Assert.DoesNotContain("   at ", stdout + stderr);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
