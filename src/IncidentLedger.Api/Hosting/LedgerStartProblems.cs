using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using IncidentLedger.EventStore.Embedded;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;

namespace IncidentLedger.Api.Hosting;

/// <summary>
/// A newcomer's start-up snags (a taken port, missing PostgreSQL binaries, an embedded server that cannot start) end the process
/// with one line that says what to do, instead of a stack trace. Anything else is left to the runtime's usual report.
/// </summary>
public static partial class LedgerStartProblems
{
    /// <summary>The exit code of a start that failed for a reason explained in one line.</summary>
    public const int ExitCode = 3;

    /// <summary>Explains the known start-up failures in one line each when they would otherwise end the process unhandled.</summary>
    public static void ExplainInOneLine() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception && Explain(exception) is { } line)
            {
                Console.Error.WriteLine(line);
                Console.Error.Flush();
                // Exiting here keeps the runtime from printing the stack trace; ProcessExit handlers still stop an embedded server.
                Environment.Exit(ExitCode);
            }
        };

    /// <summary>
    /// Before Kestrel binds, checks that the HTTP ports it will listen on (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, else
    /// http://localhost:5000) are free, so a taken port ends the start with one line rather than the host's stack trace.
    /// Does nothing when another server (the tests' in-memory one) is used or Kestrel's endpoints are configured.
    /// </summary>
    public static WebApplication RefuseTakenPorts(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IServer>().GetType().Name.StartsWith("Kestrel", StringComparison.Ordinal)
            || app.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            return app;
        }

        foreach (var url in ConfiguredUrls(app.Configuration))
        {
            if (EndpointOf(url) is { } endpoint && !IsFree(endpoint))
            {
                throw new AddressInUseException($"Failed to bind to address {url}: address already in use.");
            }
        }

        return app;
    }

    private static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var ports = (configuration["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}");
        var all = urls.Concat(ports).ToList();
        return all.Count > 0 ? all : ["http://localhost:5000"];
    }

    private static IPEndPoint? EndpointOf(string url)
    {
        var normal = url.Replace("://*", "://any.invalid", StringComparison.Ordinal).Replace("://+", "://any.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(normal, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            return null;
        }

        var address = uri.Host switch
        {
            "any.invalid" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null,
        };
        return address is null ? null : new IPEndPoint(address, uri.Port);
    }

    private static bool IsFree(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel does: a port held only by connections in TIME_WAIT counts as free.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return e.SocketErrorCode != SocketError.AddressAlreadyInUse;
        }
    }

    /// <summary>The one line for a known start-up failure, or null for anything else.</summary>
    public static string? Explain(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case LedgerStartException start:
                    return start.Message;
                case PostgresClusterException cluster:
                    return $"The embedded PostgreSQL could not start: {OneLine(cluster.Message)}";
                case IOException io when io.InnerException is AddressInUseException || io.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return PortTaken(io.Message);
                case AddressInUseException inUse:
                    return PortTaken(inUse.Message);
            }
        }

        return null;
    }

    private static string PortTaken(string message)
    {
        var address = BoundAddress().Match(message) is { Success: true } m ? m.Groups["address"].Value : null;
        var port = address is not null && Uri.TryCreate(address.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Port : (int?)null;
        var which = port is null ? "The HTTP port is taken" : $"Port {port} is taken ({address})";
        var other = port is null or 5080 ? 5081 : 5080;
        return $"{which}: stop whatever listens there, or start the ledger on another port with --urls http://localhost:{other} (or set ASPNETCORE_URLS).";
    }

    /// <summary>Kestrel says "Failed to bind to address http://127.0.0.1:5000: address already in use."</summary>
    [GeneratedRegex(@"address (?<address>\S+?): address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BoundAddress();

    /// <summary>The first line of a message that may carry a tool's output after it; the rest is detail for the log, not the newcomer.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fix = lines.Skip(1).FirstOrDefault(l => l.Contains("Permission denied", StringComparison.Ordinal) || l.Contains("FATAL", StringComparison.Ordinal));
        return fix is null ? lines[0] : $"{lines[0]} ({fix})";
    }
}

/// <summary>The ledger cannot start for a reason its message explains in one line (a bad key file, a bad setting).</summary>
public sealed class LedgerStartException(string message, Exception? inner = null) : Exception(message, inner);
