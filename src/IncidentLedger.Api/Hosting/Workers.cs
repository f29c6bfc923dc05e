using IncidentLedger.EventStore.Sealing;

namespace IncidentLedger.Api.Hosting;

/// <summary>Runs the sealer in this node; an advisory lock makes one node the sealer and the rest stand by.</summary>
internal sealed class SealerWorker(LedgerSealer sealer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => sealer.RunAsync(stoppingToken);
}
