using System.Net;
using System.Net.Sockets;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Auth;
using IncidentLedger.Domain;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace IncidentLedger.Load.Harness;

/// <summary>
/// The API host (the same Program as <c>dotnet run --project src/IncidentLedger.Api</c>) started in this process on
/// Kestrel at 127.0.0.1 with a real socket, against the benchmark database in a schema of its own, in the Production
/// environment (the checked-in Wolverine handler code), with a checkpoint key and a development token key made for the run.
/// </summary>
// WebApplicationFactory needs any type of the API's assembly to find its entry point; this assembly has a Program of its own.
public sealed class BenchApi : WebApplicationFactory<LedgerOptions>
{
    public const string Origin = "incidentledger.bench/api";

    private readonly BenchDatabase database;
    private readonly string checkpointKeyFile = Path.Combine(Path.GetTempPath(), $"ledger-bench-checkpoint-{Guid.NewGuid():N}.pem");
    private readonly string tokenKeyFile = Path.Combine(Path.GetTempPath(), $"ledger-bench-token-{Guid.NewGuid():N}.pem");
    private readonly DevelopmentTokenKey tokenKey;

    private readonly string logLevel;

    private BenchApi(BenchDatabase database, int port, string logLevel)
    {
        this.database = database;
        this.logLevel = logLevel;
        Port = port;
        // Production refuses to create keys; this run brings its own, as a deployment would.
        CheckpointKeys.LoadFile(Origin, checkpointKeyFile, createIfMissing: true);
        tokenKey = DevelopmentTokenKey.Load(tokenKeyFile, createIfMissing: true);
        UseKestrel();
    }

    public string Schema { get; } = "api_" + Guid.NewGuid().ToString("N")[..8];

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>
    /// Starts the host (with the demo data set loaded, as <c>--demo</c> does) and waits until it listens; its logs go to
    /// the console from <paramref name="logLevel"/> up (the shipped appsettings.json logs every GraphQL request at Information).
    /// </summary>
    public static BenchApi Start(BenchDatabase database, string logLevel)
    {
        ArgumentNullException.ThrowIfNull(database);
        var api = new BenchApi(database, FreeLoopbackPort(), logLevel);
        try
        {
            api.StartServer();
        }
        catch
        {
            api.DeleteKeys();
            throw;
        }

        var addresses = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (!addresses.Contains($"http://127.0.0.1:{api.Port}"))
        {
            throw new InvalidOperationException($"The API host listens on {string.Join(", ", addresses)}, not on http://127.0.0.1:{api.Port} alone.");
        }

        return api;
    }

    /// <summary>A bearer token for <paramref name="actor"/>, valid for the whole run.</summary>
    public string Token(Actor actor)
    {
        var now = DateTimeOffset.UtcNow;
        return DevelopmentTokens.Mint(tokenKey, actor, now, now.AddHours(2));
    }

    /// <summary>The data source the host reads through (the application role in its schema).</summary>
    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>Waits until every read model has applied every event written so far.</summary>
    public async Task CaughtUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var leastSequence = await LastSequenceAsync(cancellationToken);
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var progress = (await LedgerStatus.ProjectionsAsync(DataSource, cancellationToken)).Where(p => LedgerProjections.Names.Contains(p.Name.Split(':')[0])).ToArray();
            if (progress.Length == LedgerProjections.Names.Count && progress.All(p => p.LagEvents == 0 && p.Sequence >= leastSequence))
            {
                return;
            }

            if (DateTimeOffset.UtcNow > until)
            {
                throw new TimeoutException($"The read models did not catch up within {timeout}: {string.Join(", ", progress.Select(p => $"{p.Name} at {p.Sequence} ({p.LagEvents} behind, {p.Status})"))}.");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>The highest event sequence number written so far.</summary>
    private async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT coalesce(max(seq_id), 0) FROM mt_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Rows in the register read model: one per reported incident.</summary>
    public async Task<long> RegisterRowsAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM mt_doc_registerrow");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        // The build output, which holds the API's appsettings.json, as a published host's directory does.
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.UseSetting("urls", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("ConnectionStrings:Ledger", database.ConnectionString);
        builder.UseSetting("Ledger:Schema", Schema);
        builder.UseSetting("Ledger:Origin", Origin);
        builder.UseSetting("Ledger:CheckpointKeyFile", checkpointKeyFile);
        builder.UseSetting("Ledger:Authentication:SigningKeyFile", tokenKeyFile);
        builder.UseSetting("Ledger:Demo", "true");
        builder.UseSetting("Logging:LogLevel:Default", logLevel);
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", logLevel == "Information" ? "Warning" : logLevel);
        builder.ConfigureServices(services => services.AddSingleton<IHostLifetime, RunLifetime>());
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");

        DeleteKeys();
    }

    private void DeleteKeys()
    {
        tokenKey.Dispose();
        File.Delete(checkpointKeyFile);
        File.Delete(tokenKeyFile);
    }
}
