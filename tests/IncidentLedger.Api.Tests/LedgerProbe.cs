using System.Net;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentLedger.Api.Tests;

public sealed record ProbeNoted(string Text);

/// <summary>Writes probe events through the host's own store and waits until its background sealer has signed a checkpoint covering them.</summary>
public static class LedgerProbe
{
    public static async Task<List<Guid>> AppendAndAwaitCheckpointAsync(LedgerApiFactory factory, HttpClient client, int count)
    {
        var types = factory.Services.GetRequiredService<EventTypeRegistry>();
        lock (types)
        {
            if (types.Find(nameof(ProbeNoted)) is null)
            {
                types.Register<ProbeNoted>();
            }
        }

        var store = factory.Services.GetRequiredService<LedgerEventStore>();
        var ids = new List<Guid>();
        var stream = new StreamKey("incident", Guid.NewGuid());
        for (var i = 0; i < count; i++)
        {
            ids.Add((await store.AppendAsync(stream, ExpectedVersion.Exactly(i), [new(new ProbeNoted($"note {i}"))], new EventMetadata("auditor-test"))).Events[0].EventId);
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var proof = await client.GetAsync($"/log/proof/{ids[^1]}");
            if (proof.StatusCode == HttpStatusCode.OK)
            {
                return ids;
            }

            Assert.True(DateTime.UtcNow < deadline, "the background sealer did not checkpoint the events within 15 s");
            await Task.Delay(100);
        }
    }
}
