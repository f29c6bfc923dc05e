using IncidentLedger.Api.Domain;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.EventStore;
using IncidentLedger.Integrity.Envelopes;
using Marten;
using IncidentLedger.EventStore.Sealing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentLedger.Api.Tests;

/// <summary>The demo data set loaded into a real ledger through Wolverine's command handlers: every stream intact, every event sealed, a concurrent or second load a no-op.</summary>
public sealed class DemoLoadTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    [Fact]
    public async Task The_demo_loads_through_the_deciders_verifies_gets_sealed_and_loads_only_once()
    {
        var loader = factory.Services.GetRequiredService<DemoLoader>();
        var export = factory.Services.GetRequiredService<LedgerExport>();
        var store = factory.Services.GetRequiredService<IDocumentStore>();
        var origin = factory.Services.GetRequiredService<Hosting.LedgerOptions>().Origin;
        var data = DemoDataSet.Build(DemoLoader.Origin);

        // Two nodes started with --demo at once: one loads everything, the other finds it there.
        var loads = await Task.WhenAll(loader.LoadAsync(TestContext.Current.CancellationToken), loader.LoadAsync(TestContext.Current.CancellationToken));
        var expected = data.Steps.Sum(s => s.Events.Count);
        Assert.Contains((data.Steps.Count, expected, 0), loads.Select(l => (l.Commands, l.EventsWritten, l.CommandsAlreadyApplied)));
        Assert.Contains((data.Steps.Count, 0, data.Steps.Count), loads.Select(l => (l.Commands, l.EventsWritten, l.CommandsAlreadyApplied)));

        // Every stream holds exactly the events the data set decided, chained and intact, with the actor who caused them.
        foreach (var ((type, id), events) in data.Streams)
        {
            var stored = await export.StreamAsync(id, TestContext.Current.CancellationToken);
            Assert.All(stored, e => Assert.Equal(type, e.StreamType));
            Assert.All(stored, e => Assert.False(string.IsNullOrEmpty(e.Actor)));
            await using var session = store.QuerySession();
            var recorded = await session.Events.FetchStreamAsync(id.ToString("D"), token: TestContext.Current.CancellationToken);
            Assert.Equal(events.Count, recorded.Count);
            Assert.All(recorded.Zip(events), pair => Assert.True(DomainJson.Same(pair.First.Data, pair.Second), $"{type} {id}: {pair.First.Data.GetType().Name}"));
            Assert.True(StreamVerifier.Verify(id, stored.Select(e => new SealedEnvelope(e.EnvelopeIn(origin), e.Hash))).IsIntact);
        }

        Assert.Equal(9, data.Streams.Keys.Count(k => k.StreamType == StreamTypes.Incident));

        var again = await loader.LoadAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0, data.Steps.Count), (again.EventsWritten, again.CommandsAlreadyApplied));

        // The background sealer takes every demo event into the log.
        var log = factory.Services.GetRequiredService<LedgerLog>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await log.StatusAsync(TestContext.Current.CancellationToken)).Size < expected)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sealer did not seal the demo within 30 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
