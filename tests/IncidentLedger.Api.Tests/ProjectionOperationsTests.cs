using System.Net;
using IncidentLedger.Cli;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentLedger.Api.Tests;

/// <summary>`ledger rebuild`, `ledger projections skip` and `ledger status` against a running node with the demo loaded.</summary>
public sealed class ProjectionOperationsTests
{
    private static async Task<LedgerApiFactory> StartDemoNodeAsync()
    {
        var node = new LedgerApiFactory();
        node.Settings["Ledger:Demo"] = "true";
        await node.InitializeAsync();
        _ = node.Server;
        await node.DemoProjectedAsync();
        return node;
    }

    private static async Task<IReadOnlyList<ProjectionProgress>> ProgressAsync(LedgerApiFactory node) =>
        (await LedgerStatus.ProjectionsAsync(node.Services.GetRequiredService<NpgsqlDataSource>())).Where(p => LedgerProjections.Names.Contains(p.Name.Split(':')[0])).ToArray();

    private static async Task<(int Exit, string Output, string Error)> LedgerAsync(LedgerApiFactory node, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await LedgerCli.RunAsync([.. args, "--connection", await TestPostgres.GetConnectionStringAsync(), "--schema", node.Schema], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Ledger_rebuild_replays_a_projection_on_the_running_node_and_reads_keep_their_rows()
    {
        await using var node = await StartDemoNodeAsync();
        var store = node.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var before = await ReadModelQueries.RegisterAsync(session);

        var (exit, output, error) = await LedgerAsync(node, "rebuild", "register", "--by", "ops@example.org", "--timeout", "120");

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Matches(@"^register rebuilt on .+: \d+ events in [\d.]+ s \(\d+ events/s\)\.", output);
        Assert.Equal(before.Count, (await ReadModelQueries.RegisterAsync(session)).Count);
        await Eventually.HoldsAsync(async () => (await ProgressAsync(node)).All(p => p.LagEvents == 0 && p.Error is null), "the rebuilt projection to run on");
        var recorded = Assert.Single(await session.Query<ProjectionRebuild>().ToListAsync());
        Assert.Equal(("register", "ops@example.org", (string?)null), (recorded.Projection, recorded.RequestedBy, recorded.Error));

        var unknown = await LedgerAsync(node, "rebuild", "no-such-view");
        Assert.Equal(ExitCodes.Usage, unknown.Exit);
        Assert.Single(unknown.Error.Trim().Split('\n'));
        Assert.Contains("is not a read-model projection", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rebuild_whose_node_went_away_is_taken_again_once_its_time_is_up_and_a_running_one_is_left_alone()
    {
        await using var node = await StartDemoNodeAsync();
        var store = node.Services.GetRequiredService<IDocumentStore>();
        var now = DateTimeOffset.UtcNow;
        // Two requests other nodes claimed: one crashed mid-rebuild longer ago than a rebuild may take, one is still within it.
        var abandoned = new ProjectionRebuild { Id = Guid.NewGuid(), Projection = "register", RequestedBy = "ops@example.org", RequestedAt = now.AddHours(-1), StartedAt = now - ProjectionRebuilds.RebuildTimeout - TimeSpan.FromMinutes(1), Node = "crashed/1" };
        var running = new ProjectionRebuild { Id = Guid.NewGuid(), Projection = "deadlines", RequestedBy = "ops@example.org", RequestedAt = now.AddMinutes(-2), StartedAt = now.AddMinutes(-1), Node = "busy/2" };
        await using (var session = store.LightweightSession())
        {
            session.Store(abandoned, running);
            session.Insert(new ProjectionRebuildClaim { Id = abandoned.Id, Node = "crashed/1" }, new ProjectionRebuildClaim { Id = running.Id, Node = "busy/2" });
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Eventually.HoldsAsync(async () => (await ProjectionRebuilds.FindAsync(store, abandoned.Id))?.Finished == true, "the abandoned rebuild to run again", TimeSpan.FromSeconds(60));
        var rerun = (await ProjectionRebuilds.FindAsync(store, abandoned.Id))!;
        Assert.Null(rerun.Error);
        Assert.NotEqual("crashed/1", rerun.Node);
        Assert.True(rerun.StartedAt > now.AddMinutes(-1));
        await using (var session = store.QuerySession())
        {
            Assert.Equal(rerun.Node, (await session.LoadAsync<ProjectionRebuildClaim>(abandoned.Id, TestContext.Current.CancellationToken))!.Node);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // the worker polls every second
        var stillRunning = (await ProjectionRebuilds.FindAsync(store, running.Id))!;
        Assert.Equal(("busy/2", false), (stillRunning.Node, stillRunning.Finished));
    }

    [Fact]
    public async Task A_bad_event_shows_in_status_and_healthz_and_a_skip_from_the_command_line_lets_every_projection_resume()
    {
        await using var node = await StartDemoNodeAsync();
        await using var owner = LedgerSchema.CreateDataSource(await TestPostgres.GetConnectionStringAsync(), node.Schema, asApplicationRole: false);
        var poison = await BadEvents.InsertNamingAnotherStreamAsync(owner);

        await Eventually.HoldsAsync(async () => (await ProgressAsync(node)).All(p => p.StoppedAt == poison), "every projection to stop at the bad event");
        using var client = node.CreateClient();
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("cannot be applied", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var status = await LedgerAsync(node, "status");
        Assert.Contains($"register:All: STOPPED at event {poison}", status.Output, StringComparison.Ordinal);

        var refused = await LedgerAsync(node, "projections", "skip", "register", "--event", poison.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", " ", "--author", "auditor@example.org");
        Assert.Equal(ExitCodes.Usage, refused.Exit);
        Assert.Contains("needs a reason", refused.Error, StringComparison.Ordinal);

        foreach (var name in LedgerProjections.Names)
        {
            var skipped = await LedgerAsync(node, "projections", "skip", name, "--event", poison.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "inserted outside the write path", "--author", "auditor@example.org");
            Assert.True(skipped.Exit == ExitCodes.Ok, skipped.Error);
        }

        await Eventually.HoldsAsync(async () => (await ProgressAsync(node)).All(p => p.Error is null && p.LagEvents == 0), "the projections to resume past the skipped event");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }
}
