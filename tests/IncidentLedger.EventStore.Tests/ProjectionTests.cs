using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;

namespace IncidentLedger.EventStore.Tests;

/// <summary>The read models on Marten's async daemon against the domain's folds over the same events.</summary>
public sealed class ProjectionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    private readonly LedgerDatabase db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public async ValueTask DisposeAsync() => await db.DisposeAsync();

    /// <summary>Writes demo copies <paramref name="from"/>…<paramref name="to"/> (exclusive) through the write path, four copies at a time.</summary>
    private async Task WriteDemoCopiesAsync(int from, int to)
    {
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (copy, _) =>
        {
            foreach (var step in DemoDataSet.Build(Origin, copy).Steps)
            {
                await db.RunAsync(step.Command);
            }
        });
    }

    private async Task<IProjectionDaemon> StartDaemonAsync()
    {
        var daemon = await db.Store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        return daemon;
    }

    /// <summary>The domain's view folded from the events as stored (sequence numbers as positions, Marten's timestamps).</summary>
    private async Task<LedgerView> FoldStoredEventsAsync()
    {
        await using var session = db.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        return LedgerView.Fold(events.Where(RecordedEvents.IsLedgerEvent).Select(RecordedEvents.From));
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, DomainJson.Options);

    [Fact]
    public async Task Every_read_model_equals_the_domain_fold_row_for_row_over_ten_thousand_events()
    {
        await WriteDemoCopiesAsync(0, 57);
        using var daemon = await StartDaemonAsync();
        await db.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(2));

        var view = await FoldStoredEventsAsync();
        Assert.True(view.LastPosition >= 10_000, $"only {view.LastPosition} events");
        Assert.Equal(9 * 57, view.ReportedIncidents.Count());
        await AssertReadModelsEqualTheFoldAsync(view);
    }

    [Fact]
    public async Task Projections_that_start_again_mid_log_fold_the_streams_they_meet_from_their_earlier_events()
    {
        // Every step but the incidents' follow-ups, applied by one node's projections; then the follow-ups (reports,
        // notifications, disputes, adjudications, losses) by another node's, which remember nothing and must fold
        // each incident's earlier events, and the organisations the incidents name, again.
        var steps = Enumerable.Range(0, 8).SelectMany(copy => DemoDataSet.Build(Origin, copy).Steps).ToArray();
        var followUps = steps.Where(s => s.StreamType == "incident").GroupBy(s => s.StreamId).SelectMany(g => g.Skip(1)).ToHashSet();
        Assert.True(followUps.Count > 100, $"only {followUps.Count} follow-ups");
        foreach (var step in steps.Where(s => !followUps.Contains(s)))
        {
            await db.RunAsync(step.Command);
        }

        using (var first = await StartDaemonAsync())
        {
            await db.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));
            await first.StopAllAsync();
        }

        foreach (var step in steps.Where(followUps.Contains))
        {
            await db.RunAsync(step.Command);
        }

        await using var other = db.OpenStore();
        using var daemon = await other.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await other.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));

        var view = await FoldStoredEventsAsync();
        Assert.Equal(9 * 8, view.ReportedIncidents.Count());
        await AssertReadModelsEqualTheFoldAsync(view);
    }

    [Fact]
    public async Task Liability_started_again_stores_every_exposure_again_whatever_was_stored_before()
    {
        await WriteDemoCopiesAsync(0, 2);
        using (var first = await StartDaemonAsync())
        {
            await db.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));
            await first.StopAllAsync();
        }

        // What an earlier version of the projection might have left: a party's exposure unlike the fold, no policy's incidents kept apart.
        await using (var session = db.Store.LightweightSession())
        {
            var party = (await session.Query<PartyExposure>().ToListAsync())[0];
            session.Store(party with { Name = "as an earlier version left it", Incidents = 0 });
            session.DeleteWhere<ExposureIncident>(x => x.ExposureId != Guid.Empty);
            await session.SaveChangesAsync();
        }

        await db.RunAsync(DemoDataSet.Build(Origin, 2).Steps[0].Command);
        await using var other = db.OpenStore();
        using var daemon = await other.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await other.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));
        await AssertReadModelsEqualTheFoldAsync(await FoldStoredEventsAsync());
    }

    [Fact]
    public async Task A_new_system_or_policy_moves_only_the_incidents_it_concerns_and_leaves_the_rest_as_stored()
    {
        await WriteDemoCopiesAsync(0, 3);
        using var daemon = await StartDaemonAsync();
        await db.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));
        var before = await ExposureIncidentRowVersionsAsync();
        Assert.NotEmpty(before);

        // Another copy's systems and policies (bound, endorsed, lapsed), each of which makes the projection tally the whole view again.
        await WriteDemoCopiesAsync(3, 4);
        await db.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));

        await AssertReadModelsEqualTheFoldAsync(await FoldStoredEventsAsync());
        var after = await ExposureIncidentRowVersionsAsync();
        Assert.True(after.Count > before.Count, $"{after.Count} rows after, {before.Count} before");
        Assert.All(before, row => Assert.Equal(row.Value, after.GetValueOrDefault(row.Key)));
    }

    /// <summary>Each stored exposure incident's row version (xmin): a row deleted and stored again has a new one.</summary>
    private async Task<Dictionary<string, string>> ExposureIncidentRowVersionsAsync()
    {
        await using var command = db.App.CreateCommand("SELECT id, xmin::text FROM mt_doc_exposureincident");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }

        return rows;
    }

    /// <summary>Every read model, row for row, against the domain's folds of <paramref name="view"/>.</summary>
    private async Task AssertReadModelsEqualTheFoldAsync(LedgerView view)
    {
        var asOf = view.LastRecordedAt!.Value;
        await using var session = db.Store.QuerySession();

        var register = await ReadModelQueries.RegisterAsync(session);
        Assert.Equal(view.ReportedIncidents.Count(), register.Count);
        Assert.Equal(Json(Register.Rows(view)), Json(register));

        var accountability = await ReadModelQueries.AccountabilityAsync(session);
        Assert.Equal(Json(view.ReportedIncidents.SelectMany(i => AccountabilityMatrix.For(i, view))), Json(accountability.SelectMany(a => a.Cells)));

        var board = await ReadModelQueries.DeadlineBoardAsync(session, asOf);
        Assert.NotEmpty(board);
        Assert.Equal(Json(DeadlineBoard.Compute(view, asOf)), Json(board));

        Assert.Equal(Json(IncidentStatistics.Compute(view)), Json(await ReadModelQueries.StatisticsAsync(session)));

        var expected = LiabilityExposure.Compute(view, asOf);
        var stored = await ReadModelQueries.ExposureAsync(session, asOf);
        Assert.NotEmpty(stored.Parties);
        Assert.Equal(Json(expected.Parties), Json(stored.Parties));
        Assert.Equal(Json(expected.Systems), Json(stored.Systems));
        Assert.Equal(Json(expected.Policies), Json(stored.Policies));
        Assert.Equal(Json(expected.Accumulations), Json(stored.Accumulations));
        var incidents = await session.Query<ExposureIncident>().ToListAsync();
        Assert.Equal(ExposureTally.Of(view).ExposureIncidents.Select(x => x.Id).Order(StringComparer.Ordinal), incidents.Select(x => x.Id).Order(StringComparer.Ordinal));
        Assert.NotEmpty(incidents);

        var progress = await LedgerStatus.ProjectionsAsync(db.App);
        Assert.All(LedgerProjections.Names, name => Assert.Contains(progress, p => p.Name.StartsWith(name + ":", StringComparison.Ordinal) && p.LagEvents == 0 && p.Error is null));
    }

    [Fact]
    public async Task A_rebuild_replays_from_nothing_while_reads_keep_answering_and_ends_where_it_was()
    {
        await WriteDemoCopiesAsync(0, 6);
        using var daemon = await StartDaemonAsync();
        await db.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));
        await using var session = db.Store.QuerySession();
        var before = Json(await ReadModelQueries.RegisterAsync(session));
        var statisticsBefore = Json(await ReadModelQueries.StatisticsAsync(session));

        using var reading = new CancellationTokenSource();
        var smallest = int.MaxValue;
        var reader = Task.Run(async () =>
        {
            while (!reading.IsCancellationRequested)
            {
                await using var s = db.Store.QuerySession();
                smallest = Math.Min(smallest, await s.Query<RegisterRow>().CountAsync());
                await Task.Delay(5);
            }
        });

        await daemon.RebuildProjectionAsync(RegisterProjection.ProjectionName, TimeSpan.FromMinutes(1), CancellationToken.None);
        await daemon.RebuildProjectionAsync(StatisticsProjection.ProjectionName, TimeSpan.FromMinutes(1), CancellationToken.None);
        await reading.CancelAsync();
        await reader;

        Assert.Equal(9 * 6, smallest);
        Assert.Equal(before, Json(await ReadModelQueries.RegisterAsync(session)));
        Assert.Equal(statisticsBefore, Json(await ReadModelQueries.StatisticsAsync(session)));
    }

    [Fact]
    public async Task A_bad_event_stops_each_projection_with_its_reason_until_a_recorded_skip_lets_it_resume()
    {
        var ids = await db.WriteOrganisationsAsync(streams: 1, eventsEach: 2);
        var poison = await BadEvents.InsertNamingAnotherStreamAsync(db.Owner);
        await WriteDemoCopiesAsync(0, 1);

        using var daemon = await StartDaemonAsync();
        IReadOnlyList<ProjectionProgress> stopped = [];
        await Eventually.HoldsAsync(
            async () =>
            {
                stopped = await LedgerStatus.ProjectionsAsync(db.App);
                return LedgerProjections.Names.All(n => stopped.Any(p => p.Name.StartsWith(n + ":", StringComparison.Ordinal) && p.Error is not null));
            },
            "every projection to stop at the bad event");
        foreach (var name in LedgerProjections.Names)
        {
            var shard = stopped.Single(p => p.Name.StartsWith(name + ":", StringComparison.Ordinal));
            Assert.Contains($"Event {poison}", shard.Error, StringComparison.Ordinal);
            Assert.Contains("not its stream", shard.Error, StringComparison.Ordinal);
            Assert.True(shard.Sequence < poison, $"{name} is at {shard.Sequence}, past the bad event {poison}");
        }

        await Assert.ThrowsAsync<ArgumentException>(() => ProjectionSkips.RecordAsync(db.Store, "register", poison, " ", "auditor@example.org", DateTimeOffset.UtcNow));
        await Assert.ThrowsAsync<ArgumentException>(() => ProjectionSkips.RecordAsync(db.Store, "register", poison, "bad data", "", DateTimeOffset.UtcNow));
        await Assert.ThrowsAsync<ArgumentException>(() => ProjectionSkips.RecordAsync(db.Store, "no-such-projection", poison, "bad data", "auditor@example.org", DateTimeOffset.UtcNow));
        await Assert.ThrowsAsync<ArgumentException>(() => ProjectionSkips.RecordAsync(db.Store, "register", 999_999, "bad data", "auditor@example.org", DateTimeOffset.UtcNow));

        foreach (var name in LedgerProjections.Names)
        {
            await ProjectionSkips.RecordAsync(db.Store, name, poison, "inserted outside the write path; names another organisation", "auditor@example.org", DateTimeOffset.UtcNow);
            await daemon.StartAgentAsync($"{name}:All", CancellationToken.None);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => ProjectionSkips.RecordAsync(db.Store, "register", poison, "again", "auditor@example.org", DateTimeOffset.UtcNow));
        await db.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));
        var progress = await LedgerStatus.ProjectionsAsync(db.App);
        Assert.All(LedgerProjections.Names, name => Assert.Contains(progress, p => p.Name.StartsWith(name + ":", StringComparison.Ordinal) && p.LagEvents == 0 && p.Error is null));

        await using var session = db.Store.QuerySession();
        Assert.Equal(9, (await ReadModelQueries.RegisterAsync(session)).Count);
        var skips = await ProjectionSkips.AllAsync(session);
        Assert.Equal(LedgerProjections.Names.Order(), skips.Select(s => s.Projection).Order());
        Assert.All(skips, s => Assert.Equal(("auditor@example.org", poison), (s.Author, s.Sequence)));
        Assert.NotEmpty(ids);
    }
}
