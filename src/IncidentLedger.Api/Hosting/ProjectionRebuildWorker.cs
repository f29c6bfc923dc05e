using IncidentLedger.EventStore.Projections;
using JasperFx.Events.Daemon;
using Marten;

namespace IncidentLedger.Api.Hosting;

/// <summary>
/// Runs the rebuilds <c>ledger rebuild</c> asks for, on the node whose daemon holds the projections
/// (in HotCold mode the others run no agents and leave requests alone).
/// </summary>
internal sealed class ProjectionRebuildWorker(IDocumentStore store, IProjectionCoordinator coordinator, TimeProvider clock, ILogger<ProjectionRebuildWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var node = $"{Environment.MachineName}/{Environment.ProcessId}";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var daemon = coordinator.DaemonForMainDatabase();
                if (daemon.CurrentAgents().Count > 0 && await ProjectionRebuilds.RunNextAsync(store, daemon, node, clock, stoppingToken))
                {
                    logger.LogInformation("A requested projection rebuild finished on {Node}.", node);
                    continue;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Looking for projection rebuild requests failed; trying again.");
            }

            await Task.Delay(Poll, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
