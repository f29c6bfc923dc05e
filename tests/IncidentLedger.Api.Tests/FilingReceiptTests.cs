using System.Net;
using IncidentLedger.Api.Commands;
using IncidentLedger.Api.Domain;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Domain.Demo;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Receipts;
using IncidentLedger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>Every write accepted through the host's command path returns a filing receipt per event, signed by the log key, that the sealed log keeps and a rewrite contradicts.</summary>
public sealed class FilingReceiptTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>, IDisposable
{
    private readonly HttpClient client = factory.CreateClient();
    private readonly LedgerCommandLine ledger = new(factory.Schema);

    public void Dispose() => ledger.Dispose();

    private LedgerOptions Options => factory.Services.GetRequiredService<LedgerOptions>();

    private INoteSigner LogKey => factory.Services.GetRequiredService<INoteSigner>();

    private async Task<INoteVerifier> PublishedKeyAsync() =>
        VerifierKeys.Parse((await client.GetStringAsync("/log/keys")).Trim().Split('\n')[0]);

    private async Task<WriteOutcome> InvokeAsync(object command, CommandContext? context = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<WriteOutcome>(LedgerCommand.For(command, context), TestContext.Current.CancellationToken);
    }

    /// <summary>Each receipt opens with the published log key and states exactly the event the outcome reports, promised within the configured delay.</summary>
    private async Task AssertReceiptsStateAsync(WriteOutcome outcome)
    {
        var key = await PublishedKeyAsync();
        Assert.Equal(outcome.Events.Count, outcome.Receipts.Count);
        foreach (var (written, text) in outcome.Events.Zip(outcome.Receipts))
        {
            var receipt = FilingReceipts.Open(text, [key]);
            Assert.Equal(
                (Options.Origin, written.EventId, outcome.StreamId, written.Version, written.Hash, written.RecordedAt),
                (receipt.Origin, receipt.EventId, receipt.StreamId, receipt.Version, receipt.EventHash.ToString(), receipt.RecordedAt));
            Assert.Equal(written.RecordedAt + Options.MaximumMergeDelay, receipt.IncludeBy);
        }
    }

    [Fact]
    public async Task Every_accepted_command_returns_one_receipt_per_written_event_signed_by_the_log_key()
    {
        // The demo's commands in order, up to its first that writes more than one event (an incident report and its reporting clocks).
        var data = DemoDataSet.Build(DemoLoader.Origin);
        var firstWithMany = data.Steps.First(s => s.Events.Count > 1);
        foreach (var step in data.Steps.TakeWhile(s => s.Sequence <= firstWithMany.Sequence))
        {
            // Without deadline checks: the demo's clocks are long past due, and a breach recorded later would land in the log
            // among the events another test of this class rewrites.
            var outcome = await InvokeAsync(step.Command, new CommandContext { ScheduleDeadlineChecks = false });
            Assert.Equal(step.Events.Count, outcome.Events.Count);
            await AssertReceiptsStateAsync(outcome);
        }
    }

    [Fact]
    public async Task A_repeated_command_returns_the_receipts_of_the_events_its_first_run_wrote_and_an_idle_one_none()
    {
        var organisation = Guid.NewGuid();
        await InvokeAsync(Organisations.Register(organisation));
        var rename = Organisations.Rename(organisation, "Renamed Ltd");
        var context = new CommandContext { IdempotencyKey = $"receipts/{organisation}" };

        var first = await InvokeAsync(rename, context);
        var again = await InvokeAsync(rename with { Now = rename.Now.AddSeconds(5) }, context);

        Assert.False(first.AlreadyApplied);
        Assert.True(again.AlreadyApplied);
        Assert.Single(first.Receipts);
        Assert.Equal(first.Receipts, again.Receipts);
        await AssertReceiptsStateAsync(again);

        // Renaming to the current name decides nothing: no event, so no receipt.
        var idle = await InvokeAsync(Organisations.Rename(organisation, "Renamed Ltd"));
        Assert.Empty(idle.Events);
        Assert.Empty(idle.Receipts);
    }

    [Fact]
    public async Task Receipts_verify_against_an_export_once_sealed_and_prove_a_rewrite_by_the_owner()
    {
        var organisation = Guid.NewGuid();
        var outcomes = new List<WriteOutcome> { await InvokeAsync(Organisations.Register(organisation, "Filer Ltd")) };
        for (var i = 1; i < 5; i++)
        {
            outcomes.Add(await InvokeAsync(Organisations.Rename(organisation, $"Filer Ltd {i}")));
        }

        var eventIds = outcomes.Select(o => o.Events.Single().EventId).ToList();
        var receipts = outcomes.Select((o, i) => ledger.Write($"receipt-{i}.txt", o.Receipts.Single())).ToList();
        await AwaitCheckpointCoveringAsync(eventIds[^1]);
        var logKey = LogKey.VerifierKey;

        var bundle = await ledger.ExportAsync();
        foreach (var (receipt, id) in receipts.Zip(eventIds))
        {
            var (code, output) = await ledger.RunAsync("receipt", "verify", receipt, bundle, "--key", logKey);
            Assert.True(code == 0, output);
            Assert.StartsWith($"kept: event {id} is at position", output, StringComparison.Ordinal);
        }

        // The owner rewrites the last three events, re-chains them and has the log sealed and signed again.
        var log = factory.Services.GetRequiredService<LedgerLog>();
        var from = (await log.EntryAsync(eventIds[2], TestContext.Current.CancellationToken))!.Position;
        var owner = factory.Services.GetRequiredKeyedService<NpgsqlDataSource>(LedgerRoles.Owner);
        var rewritten = await OperatorRewrite.RewriteTailAsync(owner, Options.Origin, from);
        Assert.Equal(eventIds[2..], rewritten);
        await AwaitCheckpointCoveringAsync(eventIds[^1]);
        Assert.True((await log.StatusAsync(TestContext.Current.CancellationToken)).LatestCheckpoint!.Checkpoint.Size >= from + 3);

        // Signed by the log key alone, the rewritten export verifies; the filers' receipts say otherwise.
        var tampered = await ledger.ExportAsync();
        var (verified, report) = await ledger.RunAsync("verify", tampered, "--key", logKey);
        Assert.True(verified == 0, report);
        for (var i = 0; i < receipts.Count; i++)
        {
            var (code, output) = await ledger.RunAsync("receipt", "verify", receipts[i], tampered, "--key", logKey);
            if (i < 2)
            {
                Assert.True(code == 0, output);
            }
            else
            {
                Assert.True(code == 4, output);
                Assert.Contains($"EVIDENCE AGAINST THE LOG (changed): event {eventIds[i]} is at position", output, StringComparison.Ordinal);
            }
        }
    }

    private async Task AwaitCheckpointCoveringAsync(Guid eventId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await client.GetAsync($"/log/proof/{eventId}", TestContext.Current.CancellationToken)).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no signed checkpoint covered event {eventId} within 15 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
