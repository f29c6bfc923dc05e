using System.Diagnostics;
using System.Text.Json;

namespace IncidentLedger.GraphQL.Tests.Server;

/// <summary>The npm graphql-ws and graphql-sse clients subscribe, disconnect, resume without loss or duplication, and are refused cleanly.</summary>
public sealed class SubscriptionClientTests
{
    [Fact]
    public async Task Real_graphql_ws_and_graphql_sse_clients_subscribe_resume_and_get_clean_errors()
    {
        await using var host = await ServerTestHost.StartAsync(ServerTestHost.Resumable());
        var output = await NodeScript.RunAsync("subscription-clients.mjs", "graphql-ws", TimeSpan.FromSeconds(60), host.GraphQL.ToString());

        var result = JsonDocument.Parse(output).RootElement;
        foreach (var client in new[] { "ws", "sse" })
        {
            var seen = result.GetProperty(client);
            var first = seen.GetProperty("first").EnumerateArray().Select(e => e.GetInt32()).ToList();
            var resumed = seen.GetProperty("resumed").EnumerateArray().Select(e => e.GetInt32()).ToList();
            Assert.Equal([1, 2, 3], first);
            Assert.Equal([4, 5, 6], resumed);
        }

        // A bad document: an error message on the socket (which stays up), or a 400 JSON response before any stream.
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", result.GetProperty("ws").GetProperty("bad").GetString());
        Assert.Contains("400", result.GetProperty("sse").GetProperty("bad").GetString(), StringComparison.Ordinal);
    }
}
