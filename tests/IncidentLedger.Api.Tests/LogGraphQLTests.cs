using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;

namespace IncidentLedger.Api.Tests;

/// <summary>The transparency log over GraphQL at /graphql: what it answers verifies offline, bad input is a clear error, and the live feed resumes exactly.</summary>
public sealed class LogGraphQLTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private async Task<JsonElement> QueryAsync(string query, object? variables = null)
    {
        using var response = await client.PostAsJsonAsync("/graphql", new { query, variables }, TestContext.Current.CancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static Hash HashOf(JsonElement hex) => Hash.FromHex(hex.GetString()!);

    private static List<Hash> Path(JsonElement path) => [.. path.EnumerateArray().Select(HashOf)];

    private static string? Code(JsonElement body) => body.TryGetProperty("errors", out var errors) ? errors[0].GetProperty("extensions").GetProperty("code").GetString() : null;

    [Fact]
    public async Task The_checkpoint_is_a_signed_note_that_verifies_with_a_published_key_and_names_its_root()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 3);
        var data = (await QueryAsync("{ checkpoint { origin size rootHash note } verifierKeys }")).GetProperty("data");
        var checkpoint = data.GetProperty("checkpoint");
        var note = SignedNote.Parse(checkpoint.GetProperty("note").GetString()!);
        Assert.True(note.IsVerifiedBy(VerifierKeys.Parse(data.GetProperty("verifierKeys")[0].GetString()!)));
        var body = Checkpoint.Parse(note.Text);
        Assert.Equal(("incidentledger.test/api", body.Size, body.Root), (checkpoint.GetProperty("origin").GetString(), checkpoint.GetProperty("size").GetInt64(), HashOf(checkpoint.GetProperty("rootHash"))));
    }

    [Fact]
    public async Task An_inclusion_proof_verifies_offline_against_the_signed_root()
    {
        var ids = await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 4);
        var proof = (await QueryAsync(
            "query ($id: UUID!) { inclusionProof(eventId: $id) { entry { position eventId eventHash } treeSize leafHash path checkpoint { rootHash } } }",
            new { id = ids[1] })).GetProperty("data").GetProperty("inclusionProof");

        var entry = proof.GetProperty("entry");
        Assert.Equal(ids[1], entry.GetProperty("eventId").GetGuid());
        Assert.Equal(MerkleHasher.Leaf(HashOf(entry.GetProperty("eventHash")).Bytes), HashOf(proof.GetProperty("leafHash")));
        Assert.True(MerkleProofs.VerifyInclusion(
            entry.GetProperty("position").GetInt64(), proof.GetProperty("treeSize").GetInt64(), HashOf(proof.GetProperty("leafHash")),
            Path(proof.GetProperty("path")), HashOf(proof.GetProperty("checkpoint").GetProperty("rootHash"))));
    }

    [Fact]
    public async Task A_consistency_proof_links_an_earlier_checkpoint_to_the_latest()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 2);
        var earlier = (await QueryAsync("{ checkpoint { size rootHash } }")).GetProperty("data").GetProperty("checkpoint");
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 3);
        var (first, firstRoot) = (earlier.GetProperty("size").GetInt64(), HashOf(earlier.GetProperty("rootHash")));

        var data = (await QueryAsync(
            "query ($first: Long!) { checkpoint { size rootHash } checkpointAt(size: $first) { rootHash } }", new { first })).GetProperty("data");
        var second = data.GetProperty("checkpoint").GetProperty("size").GetInt64();
        Assert.Equal(firstRoot, HashOf(data.GetProperty("checkpointAt").GetProperty("rootHash")));
        var proof = (await QueryAsync("query ($a: Long!, $b: Long!) { consistencyProof(first: $a, second: $b) { path } }", new { a = first, b = second }))
            .GetProperty("data").GetProperty("consistencyProof");
        Assert.True(MerkleProofs.VerifyConsistency(first, second, firstRoot, HashOf(data.GetProperty("checkpoint").GetProperty("rootHash")), Path(proof.GetProperty("path"))));
    }

    [Theory]
    [InlineData("{ consistencyProof(first: 5, second: 2) { path } }", "BAD_USER_INPUT")]
    [InlineData("{ consistencyProof(first: 1, second: 99999999) { path } }", "BAD_USER_INPUT")]
    [InlineData("{ inclusionProof(eventId: \"6a1c2b3d-0000-4000-8000-000000000000\", treeSize: 0) { treeSize } }", "BAD_USER_INPUT")]
    [InlineData("{ logEntry(eventId: \"not-a-uuid\") { position } }", "GRAPHQL_VALIDATION_FAILED")]
    [InlineData("{ checkpoint { signature } }", "GRAPHQL_VALIDATION_FAILED")]
    public async Task Bad_input_is_a_clear_error(string query, string code)
    {
        var body = await QueryAsync(query);
        Assert.Equal(code, Code(body));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("errors")[0].GetProperty("message").GetString()));
    }

    [Fact]
    public async Task What_is_not_in_the_log_is_null_not_an_error()
    {
        var body = await QueryAsync("""{ logEntry(eventId: "6a1c2b3d-0000-4000-8000-000000000000") { position } inclusionProof(eventId: "6a1c2b3d-0000-4000-8000-000000000000") { treeSize } }""");
        Assert.False(body.TryGetProperty("errors", out _));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").GetProperty("logEntry").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").GetProperty("inclusionProof").ValueKind);
    }

    [Fact]
    public async Task Status_reports_sealing_projections_and_the_outbox()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 1);
        var status = (await QueryAsync("{ status { log { size unsealed checkpointSize } projections { name sequence lagEvents } outbox { outgoing incoming dead } } }"))
            .GetProperty("data").GetProperty("status");
        Assert.True(status.GetProperty("log").GetProperty("size").GetInt64() >= 1);
        Assert.True(status.GetProperty("log").GetProperty("checkpointSize").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Array, status.GetProperty("projections").ValueKind);
        Assert.Equal(0, status.GetProperty("outbox").GetProperty("dead").GetInt64());
    }

    [Fact]
    public async Task The_sealed_event_feed_resumes_from_the_last_event_id_without_loss_or_duplicates()
    {
        var ids = await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 6);
        var start = (await QueryAsync("query ($id: UUID!) { logEntry(eventId: $id) { position } }", new { id = ids[0] }))
            .GetProperty("data").GetProperty("logEntry").GetProperty("position").GetInt64();

        var first = await ReadFeedAsync(lastEventId: (start - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), take: 2);
        var resumed = await ReadFeedAsync(lastEventId: first[^1].Id, take: 4);

        Assert.Equal(ids, [.. first.Concat(resumed).Select(e => e.EventId)]);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => start + i), first.Concat(resumed).Select(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_feed_delivers_events_sealed_after_it_was_opened()
    {
        var before = await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 1);
        var position = (await QueryAsync("query ($id: UUID!) { logEntry(eventId: $id) { position } }", new { id = before[0] }))
            .GetProperty("data").GetProperty("logEntry").GetProperty("position").GetInt64();
        var reading = ReadFeedAsync(lastEventId: position.ToString(System.Globalization.CultureInfo.InvariantCulture), take: 2);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var later = await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 2);
        Assert.Equal(later, [.. (await reading).Select(e => e.EventId)]);
    }

    private sealed record FeedEvent(string Id, Guid EventId);

    /// <summary>Subscribes over Server-Sent Events (GraphQL over SSE) and reads <paramref name="take"/> events, then disconnects.</summary>
    private async Task<List<FeedEvent>> ReadFeedAsync(string lastEventId, int take)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query = "subscription ($after: Long) { sealedEvents(after: $after) { position eventId type } }" }),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
        var events = new List<FeedEvent>();
        string? id = null;
        while (events.Count < take && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = line[3..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal) && id is not null)
            {
                var sealedEvent = JsonDocument.Parse(line[5..]).RootElement.GetProperty("data").GetProperty("sealedEvents");
                Assert.StartsWith("organisation.", sealedEvent.GetProperty("type").GetString(), StringComparison.Ordinal);
                Assert.Equal(id, sealedEvent.GetProperty("position").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
                events.Add(new FeedEvent(id, sealedEvent.GetProperty("eventId").GetGuid()));
                id = null;
            }
        }

        return events;
    }
}
