using IncidentLedger.EventStore.Outbox;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;
using Npgsql;

namespace IncidentLedger.Api.Hosting;

/// <summary>Runs the sealer in this node; an advisory lock makes one node the sealer and the rest stand by.</summary>
internal sealed class SealerWorker(LedgerSealer sealer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => sealer.RunAsync(stoppingToken);
}

/// <summary>Delivers outbox messages (webhooks); any number of nodes share the work.</summary>
internal sealed class OutboxWorker(OutboxDispatcher dispatcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => dispatcher.RunAsync(stoppingToken);
}

/// <summary>Runs every registered async projection; each is led by one node at a time.</summary>
internal sealed class ProjectionWorkers(IEnumerable<IProjection> projections, NpgsqlDataSource dataSource, LedgerOptions options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(projections.Select(p => new ProjectionRunner(dataSource, options.Schema, p).RunAsync(stoppingToken)));
}
