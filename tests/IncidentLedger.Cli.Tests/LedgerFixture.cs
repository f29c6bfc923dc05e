using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Testing;

[assembly: AssemblyFixture(typeof(TestPostgresLifetime))]

namespace IncidentLedger.Cli.Tests;

/// <summary>A sealed ledger of 60 events in 6 streams, with a checkpoint every 10 events.</summary>
public sealed class SealedLedger : LedgerDatabase
{
    public List<Guid> EventIds { get; } = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await LedgerExport.PublishVerifierKeyAsync(Owner, Schema, CheckpointKey.VerifierKey);
        EventIds.AddRange(await WriteOrganisationsAsync(6, 10));

        var sealer = CreateSealer(o => o with { BatchSize = 10, CheckpointEveryEvents = 10 });
        while ((await sealer.SealOnceAsync()).Sealed > 0)
        {
        }
    }

    public async Task<(int Code, string Output)> LedgerAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LedgerCli.RunAsync(args, output, error);
        return (code, output + error.ToString());
    }

    public async Task<string> ExportAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.jsonl");
        var (code, output) = await LedgerAsync("export", "--connection", ConnectionString, "--schema", Schema, "--out", file);
        Assert.True(code == 0, output);
        return file;
    }

    /// <summary>What an attacker with the database's superuser could do.</summary>
    public Task TamperAsync(string sql) => ExecuteAsOwnerAsync($"""
        SET session_replication_role = replica;
        {sql};
        SET session_replication_role = origin;
        """);
}
