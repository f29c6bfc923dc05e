using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

[assembly: AssemblyFixture(typeof(TestPostgresLifetime))]

namespace IncidentLedger.Api.Tests;

/// <summary>The API host against the test cluster, in a schema of its own, with a fresh development signing key.</summary>
public class LedgerApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string keyFile;
    private readonly bool ownsSchema;
    private string connectionString = "";

    public LedgerApiFactory()
        : this(
            "api_" + Guid.NewGuid().ToString("N")[..12],
            Path.Combine(Path.GetTempPath(), $"ledger-key-{Guid.NewGuid():N}.pem"),
            Path.Combine(Path.GetTempPath(), $"ledger-token-key-{Guid.NewGuid():N}.pem"),
            ownsSchema: true)
    {
    }

    private LedgerApiFactory(string schema, string keyFile, string tokenKeyFile, bool ownsSchema, string environment = "Development")
    {
        Schema = schema;
        this.keyFile = keyFile;
        TokenKeyFile = tokenKeyFile;
        this.ownsSchema = ownsSchema;
        Environment = environment;
    }

    /// <summary>The host environment: Development (handler code generated in memory) unless a second node is started as Production.</summary>
    public string Environment { get; }

    public string Schema { get; }

    /// <summary>The development token key the host accepts (created by the host at start-up; shared with a second node).</summary>
    public string TokenKeyFile { get; }

    /// <summary>More configuration for the host (set before it starts).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Another node (or the same one restarted) on this one's ledger: same schema and key; disposing it leaves the ledger in place.</summary>
    public LedgerApiFactory SecondNode(string environment = "Development") => new(Schema, keyFile, TokenKeyFile, ownsSchema: false, environment) { connectionString = connectionString };

    public async ValueTask InitializeAsync() => connectionString = await TestPostgres.GetConnectionStringAsync();

    /// <summary>A development token for <paramref name="actor"/>, valid for ten minutes, signed with the key the host accepts.</summary>
    public string Token(IncidentLedger.Domain.Actor actor)
    {
        using var key = IncidentLedger.Auth.DevelopmentTokenKey.Load(TokenKeyFile, createIfMissing: false);
        var now = DateTimeOffset.UtcNow;
        return IncidentLedger.Auth.DevelopmentTokens.Mint(key, actor, now, now.AddMinutes(10), IncidentLedger.Auth.DevelopmentTokenKey.DefaultAudience);
    }

    /// <summary>
    /// Waits until the demo (which a start with Ledger:Demo loads after the host is up) is all written and
    /// every read model has applied it.
    /// </summary>
    public Task DemoProjectedAsync()
    {
        var demoEvents = IncidentLedger.Domain.Demo.DemoDataSet.Build(IncidentLedger.Api.Domain.DemoLoader.Origin).Steps.Sum(s => s.Events.Count);
        var dataSource = Services.GetRequiredService<NpgsqlDataSource>();
        return Eventually.HoldsAsync(
            async () => (await LedgerStatus.ProjectionsAsync(dataSource)).Where(p => LedgerProjections.Names.Contains(p.Name.Split(':')[0])).ToArray()
                is { Length: var count } progress && count == LedgerProjections.Names.Count && progress.All(p => p.LagEvents == 0 && p.Sequence >= demoEvents),
            "the read models to apply the whole demo",
            TimeSpan.FromSeconds(90),
            TimeSpan.FromMilliseconds(200));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("ConnectionStrings:Ledger", connectionString);
        builder.UseSetting("Ledger:Schema", Schema);
        builder.UseSetting("Ledger:Origin", "incidentledger.test/api");
        builder.UseSetting("Ledger:CheckpointKeyFile", keyFile);
        builder.UseSetting("Ledger:Authentication:SigningKeyFile", TokenKeyFile);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        ConfigureLedger(builder);
    }

    /// <summary>More settings for the host, in a fixture that needs them.</summary>
    protected virtual void ConfigureLedger(IWebHostBuilder builder)
    {
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!ownsSchema)
        {
            return;
        }

        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var drop = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
        File.Delete(keyFile);
        File.Delete(TokenKeyFile);
    }
}
