using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity.Bundles;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentLedger.Api.Tests;

/// <summary>The log endpoints an auditor uses, against a running host whose sealer works in the background.</summary>
public sealed class TransparencyLogTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private Task<List<Guid>> AppendAndAwaitCheckpointAsync(int count) => LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, count);

    private async Task<INoteVerifier> PublishedKeyAsync() =>
        VerifierKeys.Parse((await client.GetStringAsync("/log/keys")).Trim().Split('\n')[0]);

    [Fact]
    public async Task The_latest_checkpoint_is_a_signed_note_that_verifies_with_the_published_key()
    {
        await AppendAndAwaitCheckpointAsync(3);
        var response = await client.GetAsync("/log/checkpoint");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var note = SignedNote.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(note.IsVerifiedBy(await PublishedKeyAsync()));
        Assert.IsType<Ed25519NoteKey>(await PublishedKeyAsync());
        Assert.Equal("incidentledger.test/api", Checkpoint.Parse(note.Text).Origin);
    }

    [Fact]
    public async Task A_proof_from_the_api_verifies_offline()
    {
        var ids = await AppendAndAwaitCheckpointAsync(5);
        var proof = JsonSerializer.Deserialize<ProofDocument>(await client.GetStringAsync($"/log/proof/{ids[2]}"), BundleFormat.Json)!;
        Assert.Null(BundleVerifier.VerifyProof(proof, [await PublishedKeyAsync()]));
        Assert.Equal(ids[2], proof.Event.EventId);
    }

    [Fact]
    public async Task Consistency_between_sizes_verifies_against_the_roots()
    {
        await AppendAndAwaitCheckpointAsync(6);
        var size = Checkpoint.Parse(SignedNote.Parse(await client.GetStringAsync("/log/checkpoint")).Text).Size;
        var body = await client.GetFromJsonAsync<JsonElement>($"/log/consistency?first=2&second={size}");
        var path = body.GetProperty("path").EnumerateArray().Select(p => Integrity.Hash.FromHex(p.GetString()!)).ToList();
        var log = factory.Services.GetRequiredService<EventStore.Sealing.LedgerLog>();
        Assert.True(MerkleProofs.VerifyConsistency(2, size, await log.RootAsync(2), await log.RootAsync(size), path));
    }

    [Theory]
    [InlineData("/log/proof/not-a-uuid", HttpStatusCode.BadRequest)]
    [InlineData("/log/proof/6a1c2b3d-0000-4000-8000-000000000000", HttpStatusCode.NotFound)]
    [InlineData("/log/consistency?first=5&second=2", HttpStatusCode.BadRequest)]
    [InlineData("/log/consistency?first=1&second=999999", HttpStatusCode.BadRequest)]
    [InlineData("/log/consistency?first=one&second=2", HttpStatusCode.BadRequest)]
    public async Task Bad_requests_get_a_problem_with_the_right_status(string url, HttpStatusCode status)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task Health_reports_the_log_projections_and_outbox()
    {
        await AppendAndAwaitCheckpointAsync(1);
        var health = await client.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("log").GetProperty("sealedSize").GetInt64() >= 1);
        Assert.Equal(0, health.GetProperty("outbox").GetProperty("dead").GetInt64());
    }
}
