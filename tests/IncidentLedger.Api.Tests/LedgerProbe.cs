using System.Net;
using IncidentLedger.Api.Commands;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>Writes probe events through the host's own command path and waits until its background sealer has signed a checkpoint covering them.</summary>
public static class LedgerProbe
{
    /// <summary>Appends <paramref name="count"/> events (an organisation's registration and renames) through Wolverine and the host's write path.</summary>
    public static async Task<List<Guid>> AppendAndAwaitCheckpointAsync(LedgerApiFactory factory, HttpClient client, int count)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var ids = new List<Guid>();
        var organisation = Guid.NewGuid();
        for (var i = 0; i < count; i++)
        {
            object command = i == 0 ? Organisations.Register(organisation, "Probe Ltd") : Organisations.Rename(organisation, $"Probe Ltd {i}");
            var outcome = await bus.InvokeAsync<WriteOutcome>(LedgerCommand.For(command));
            ids.Add(outcome.Events[0].EventId);
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
