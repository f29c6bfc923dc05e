using IncidentLedger.Api.Commands;
using IncidentLedger.Api.Deadlines;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>Reporting deadlines as durable scheduled Wolverine messages, against a real PostgreSQL.</summary>
public sealed class DeadlineCheckTests
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A demo incident report (under fresh ids) shifted in time so that its first reporting clock falls due <paramref name="dueIn"/> from now.</summary>
    private static (ReportIncident Report, ReportingClockStarted First) ReportDueIn(TimeSpan dueIn)
    {
        var now = DateTimeOffset.UtcNow;
        var report = DemoDataSet.Build(Origin, Random.Shared.Next(1_000, 1_000_000)).Steps.Select(s => s.Command).OfType<ReportIncident>()
            .Select(r => r with { Now = now })
            .First(r => IncidentDecider.Decide(r, IncidentDecider.Initial).OfType<ReportingClockStarted>().Any());
        var shift = now + dueIn - FirstClock(report).DueAt;
        report = report with { OccurredAt = report.OccurredAt + shift, BecameAwareAt = report.BecameAwareAt + shift };
        return (report, FirstClock(report));
    }

    /// <summary>The time left until <paramref name="moment"/>, or none once it has passed.</summary>
    private static TimeSpan Until(DateTimeOffset moment) => moment - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero;

    private static ReportingClockStarted FirstClock(ReportIncident report) =>
        IncidentDecider.Decide(report, IncidentDecider.Initial).OfType<ReportingClockStarted>().MinBy(c => c.DueAt)
        ?? throw new InvalidOperationException("The report starts no reporting clock.");

    private static async Task<WriteOutcome> SendAsync(LedgerApiFactory node, object message)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<WriteOutcome>(LedgerCommand.For(message));
    }

    private static async Task CheckAsync(LedgerApiFactory node, DeadlineCheck check)
    {
        await using var scope = node.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(check);
    }

    private static async Task<long> CountAsync(LedgerApiFactory node, string sql)
    {
        await using var source = NpgsqlDataSource.Create(await Testing.TestPostgres.GetConnectionStringAsync());
        await using var command = source.CreateCommand(sql.Replace("{schema}", node.Schema, StringComparison.Ordinal));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task<long> BreachesAsync(LedgerApiFactory node, Guid incidentId, string clockId) =>
        CountAsync(node, $"SELECT count(*) FROM \"{{schema}}\".mt_events WHERE stream_id = '{incidentId:D}' AND type = 'incident.reporting_clock_breached' AND data->>'clockId' = '{clockId}'");

    [Fact]
    public async Task A_check_scheduled_before_a_restart_fires_after_it_and_records_the_breach_once()
    {
        await using var ledger = new LedgerApiFactory();
        await ledger.InitializeAsync();
        var first = ledger.SecondNode();
        _ = first.Server;
        var (report, clock) = ReportDueIn(TimeSpan.FromSeconds(4));
        await SendAsync(first, report);
        Assert.True(await CountAsync(first, "SELECT count(*) FROM \"{schema}\".wolverine_incoming_envelopes WHERE message_type LIKE '%DeadlineCheck%' AND status = 'Scheduled'") >= 1, "a check is scheduled");
        await first.DisposeAsync();

        await Task.Delay(Until(clock.DueAt + TimeSpan.FromSeconds(1)));
        Assert.Equal(0, await BreachesAsync(ledger, report.IncidentId, clock.ClockId));

        await using var second = ledger.SecondNode();
        _ = second.Server;
        await Eventually.HoldsAsync(async () => await BreachesAsync(second, report.IncidentId, clock.ClockId) > 0, "the breach after the restart", TimeSpan.FromSeconds(45));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await BreachesAsync(second, report.IncidentId, clock.ClockId));
        Assert.Equal(1, await CountAsync(second, $"SELECT count(*) FROM \"{{schema}}\".mt_events WHERE stream_id = '{report.IncidentId:D}' AND type = 'incident.reporting_clock_breached' AND headers->>'actor' = '{DeadlineChecks.Scheduler.Subject}'"));
    }

    [Fact]
    public async Task A_clock_moved_earlier_is_breached_once_at_its_new_due_time_and_its_old_check_does_nothing()
    {
        await using var node = new LedgerApiFactory();
        await node.InitializeAsync();
        _ = node.Server;
        var (report, clock) = ReportDueIn(TimeSpan.FromSeconds(3));
        await SendAsync(node, report);
        var amended = await SendAsync(node, new AmendReport(
            report.IncidentId, ReportType.FollowUp, "Awareness time corrected after the investigation.",
            new IncidentRevision(BecameAwareAt: report.BecameAwareAt.AddHours(-1)), null, report.Actor, DateTimeOffset.UtcNow));
        Assert.Contains(amended.Events, e => e.EventType == "incident.reporting_clock_recomputed");

        // The moved clock's check is due at once; Wolverine picks scheduled messages up on its own polling, so wait for it.
        await Eventually.HoldsAsync(async () => await BreachesAsync(node, report.IncidentId, clock.ClockId) > 0, "the moved clock's breach", TimeSpan.FromSeconds(45));
        await Task.Delay(Until(clock.DueAt + TimeSpan.FromSeconds(3)));
        Assert.Equal(1, await BreachesAsync(node, report.IncidentId, clock.ClockId));
        Assert.Equal(1, await CountAsync(node, $"SELECT count(*) FROM \"{{schema}}\".mt_events WHERE stream_id = '{report.IncidentId:D}' AND type = 'incident.reporting_clock_breached' AND (data->>'dueAt')::timestamptz < '{clock.DueAt.AddMinutes(-59):O}'::timestamptz"));
    }

    [Fact]
    public async Task A_check_for_a_withdrawn_clock_does_nothing()
    {
        await using var node = new LedgerApiFactory();
        await node.InitializeAsync();
        _ = node.Server;
        var (report, clock) = ReportDueIn(TimeSpan.FromSeconds(3));
        await SendAsync(node, report);
        var amended = await SendAsync(node, new AmendReport(
            report.IncidentId, ReportType.FinalNonReportable, "Final report: not reportable.", null,
            "The investigation found no AI system contributed to the harm.", report.Actor, DateTimeOffset.UtcNow));
        Assert.Contains(amended.Events, e => e.EventType == "incident.reporting_clock_withdrawn");

        await Task.Delay(Until(clock.DueAt + TimeSpan.FromSeconds(3)));
        Assert.Equal(0, await BreachesAsync(node, report.IncidentId, clock.ClockId));
        Assert.Equal(0, await CountAsync(node, $"SELECT count(*) FROM \"{{schema}}\".mt_events WHERE stream_id = '{report.IncidentId:D}' AND type = 'incident.reporting_clock_breached'"));
    }

    [Fact]
    public async Task Checks_delivered_twice_at_once_record_one_breach()
    {
        await using var node = new LedgerApiFactory();
        await node.InitializeAsync();
        _ = node.Server;
        var (report, clock) = ReportDueIn(TimeSpan.FromMilliseconds(300));
        await SendAsync(node, report with { Now = DateTimeOffset.UtcNow });
        await Task.Delay(Until(clock.DueAt + TimeSpan.FromMilliseconds(600)));

        var check = new DeadlineCheck(report.IncidentId, clock.ClockId, clock.DueAt);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CheckAsync(node, check)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await BreachesAsync(node, report.IncidentId, clock.ClockId));
    }
}
