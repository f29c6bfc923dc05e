using IncidentLedger.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

[assembly: AssemblyFixture(typeof(TestPostgresLifetime))]

namespace IncidentLedger.Api.Tests;

/// <summary>The API host against the test cluster, in a schema of its own, with a fresh development signing key.</summary>
public sealed class LedgerApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string Schema { get; } = "api_" + Guid.NewGuid().ToString("N")[..12];

    private readonly string keyFile = Path.Combine(Path.GetTempPath(), $"ledger-key-{Guid.NewGuid():N}.pem");

    /// <summary>The development token key the host accepts (created by the host at start-up).</summary>
    public string TokenKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"ledger-token-key-{Guid.NewGuid():N}.pem");
    private string connectionString = "";

    public async ValueTask InitializeAsync() => connectionString = await TestPostgres.GetConnectionStringAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Ledger", connectionString);
        builder.UseSetting("Ledger:Schema", Schema);
        builder.UseSetting("Ledger:Origin", "incidentledger.test/api");
        builder.UseSetting("Ledger:CheckpointKeyFile", keyFile);
        builder.UseSetting("Ledger:Authentication:SigningKeyFile", TokenKeyFile);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var drop = source.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await drop.ExecuteNonQueryAsync();
        File.Delete(keyFile);
        File.Delete(TokenKeyFile);
    }
}
