namespace IncidentLedger.Cli.Tests;

/// <summary>`ledger status` against a sealed ledger.</summary>
public sealed class OperationsTests : IAsyncLifetime
{
    private readonly SealedLedger ledger = new();

    public ValueTask InitializeAsync() => ledger.InitializeAsync();

    public ValueTask DisposeAsync() => ledger.DisposeAsync();

    [Fact]
    public async Task Status_shows_the_log_and_the_message_store()
    {
        var (code, output) = await ledger.LedgerAsync("status", "--connection", ledger.ConnectionString, "--schema", ledger.Schema);
        Assert.True(code == 0, output);
        Assert.Contains("log: 60 sealed, 0 waiting", output, StringComparison.Ordinal);
        Assert.Contains("outbox: 0 outgoing, 0 incoming or scheduled, 0 dead-lettered", output, StringComparison.Ordinal);
    }
}
