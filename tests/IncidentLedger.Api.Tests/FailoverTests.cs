using IncidentLedger.Api.Commands;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>Two nodes on one ledger: one runs the projections (HotCold) and the sealer; when it stops, the other takes both over.</summary>
public sealed class FailoverTests
{
    private static bool RunsProjections(LedgerApiFactory node) =>
        node.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase().CurrentAgents().Count > 0;

    private static async Task RegisterAsync(LedgerApiFactory node, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var scope = node.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<WriteOutcome>(LedgerCommand.For(Organisations.Register(Guid.NewGuid())));
        }
    }

    private static async Task<bool> CaughtUpAsync(LedgerApiFactory node, long events)
    {
        var dataSource = node.Services.GetRequiredService<NpgsqlDataSource>();
        var projections = (await LedgerStatus.ProjectionsAsync(dataSource)).Where(p => LedgerProjections.Names.Contains(p.Name.Split(':')[0])).ToArray();
        var log = await node.Services.GetRequiredService<LedgerLog>().StatusAsync();
        return projections.Length == LedgerProjections.Names.Count && projections.All(p => p.Sequence >= events) && log.Size == events;
    }

    [Fact]
    public async Task When_the_node_running_projections_and_sealer_stops_the_other_node_carries_on_from_where_it_was()
    {
        await using var ledger = new LedgerApiFactory();
        await ledger.InitializeAsync();
        var a = ledger.SecondNode();
        var b = ledger.SecondNode();
        _ = a.Server;
        _ = b.Server;

        await RegisterAsync(a, 20);
        await Eventually.HoldsAsync(() => CaughtUpAsync(a, 20), "both to be caught up with the first 20 events", TimeSpan.FromSeconds(90));
        await Eventually.HoldsAsync(() => Task.FromResult(RunsProjections(a) ^ RunsProjections(b)), "exactly one node to run the projections", TimeSpan.FromSeconds(90));
        var (leader, survivor) = RunsProjections(a) ? (a, b) : (b, a);

        await leader.DisposeAsync();
        await RegisterAsync(survivor, 20);
        await Eventually.HoldsAsync(() => CaughtUpAsync(survivor, 40), "the surviving node to project and seal the next 20 events", TimeSpan.FromSeconds(90));
        Assert.True(RunsProjections(survivor));
        await survivor.DisposeAsync();
    }

    [Fact]
    public async Task A_node_started_without_workers_leaves_sealing_and_projections_to_a_node_that_runs_them()
    {
        await using var ledger = new LedgerApiFactory();
        await ledger.InitializeAsync();
        var quiet = ledger.SecondNode();
        quiet.Settings["Ledger:RunWorkers"] = "false";
        _ = quiet.Server;
        await RegisterAsync(quiet, 5);

        // Started first, the quiet node would win the projections' leadership if it ran the daemon at all.
        var worker = ledger.SecondNode();
        _ = worker.Server;
        await Eventually.HoldsAsync(() => CaughtUpAsync(worker, 5), "the node with workers to project and seal the quiet node's events", TimeSpan.FromSeconds(90));
        Assert.True(RunsProjections(worker));
        Assert.False(quiet.Services.GetService<IProjectionCoordinator>() is { } coordinator && coordinator.DaemonForMainDatabase().CurrentAgents().Count > 0);
        Assert.DoesNotContain(quiet.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is IncidentLedger.Api.Hosting.SealerWorker);
        await worker.DisposeAsync();
        await quiet.DisposeAsync();
    }
}
