using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// Two witnesses beside a running ledger: they push their cosignatures to POST /log/cosignatures, the ledger serves them
/// with its checkpoint (HTTP, GraphQL and exports), and refuses what no configured witness signed over a checkpoint it signed.
/// </summary>
public sealed class WitnessCosignatureTests(WitnessedLedgerApiFactory factory) : IClassFixture<WitnessedLedgerApiFactory>, IDisposable
{
    private readonly HttpClient client = factory.CreateClient();
    private readonly LedgerCommandLine ledger = new(factory.Schema);

    public void Dispose() => ledger.Dispose();

    private string LogKey => factory.Services.GetRequiredService<INoteSigner>().VerifierKey;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private Task<(int Code, string Output)> WitnessAsync(TestWitness witness) => ledger.RunAsync(
        "witness", "--log", factory.Url.ToString(), "--log-key", LogKey, "--state", ledger.PathOf(witness.Name + ".state"), "--key", witness.KeyFile, "--name", witness.Name,
        "--push", factory.Url.ToString());

    /// <summary>The latest checkpoint as the log issued it (its own signature only).</summary>
    private async Task<SignedNote> IssuedAsync() => SignedNote.Parse((await factory.Services.GetRequiredService<LedgerLog>().LatestCheckpointAsync(TestContext.Current.CancellationToken))!.Note);

    private async Task<SignedNote> ServedAsync() => SignedNote.Parse(await client.GetStringAsync("/log/checkpoint", TestContext.Current.CancellationToken));

    private async Task<(HttpStatusCode Status, JsonElement Body)> PushAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        using var response = await client.PostAsync("/log/cosignatures", content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }

    private async Task AssertRefusedAsync(string body, string reason)
    {
        var before = (await ServedAsync()).ToString();
        var (status, problem) = await PushAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Cosignature refused", problem.GetProperty("title").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await ServedAsync()).ToString());
    }

    private static int LinesBy(SignedNote note, TestWitness witness) => note.Signatures.Count(s => s.KeyName == witness.Name && s.KeyId == witness.Key.KeyId);

    [Fact]
    public async Task Two_witnesses_push_their_cosignatures_and_the_ledger_serves_them_with_its_checkpoint_for_a_quorum()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 5);
        foreach (var witness in factory.Witnesses)
        {
            var (code, output) = await WitnessAsync(witness);
            Assert.True(code == 0, output);
            Assert.Contains("the ledger stored the cosignature", output, StringComparison.Ordinal);
        }

        // GET /log/checkpoint: the note as issued, with both witnesses' lines appended; each verifies.
        var issued = await IssuedAsync();
        var served = await ServedAsync();
        Assert.Equal(issued.Text, served.Text);
        Assert.Equal(issued.Signatures[0].ToLine(), served.Signatures[0].ToLine());
        Assert.True(served.IsVerifiedBy(VerifierKeys.Parse(LogKey)));
        Assert.Equal(factory.Witnesses.Select(w => w.Name), CosignedNotes.VerifiedWitnesses(served, factory.Witnesses.Select(w => w.Key)).Select(w => w.KeyName).Order());
        Assert.Equal(3, served.Signatures.Count);

        // GraphQL names them on the checkpoint.
        using var response = await client.PostAsJsonAsync("/graphql", new { query = "{ checkpoint { size note cosignedNote cosignatures { witness keyId cosignedAt line } } }" }, TestContext.Current.CancellationToken);
        var checkpoint = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("data").GetProperty("checkpoint");
        Assert.Equal(issued.ToString(), checkpoint.GetProperty("note").GetString());
        Assert.Equal(served.ToString(), checkpoint.GetProperty("cosignedNote").GetString());
        var cosignatures = checkpoint.GetProperty("cosignatures").EnumerateArray().ToList();
        Assert.Equal(factory.Witnesses.Select(w => (w.Name, w.Key.KeyId.ToString("x8"))), cosignatures.Select(c => (c.GetProperty("witness").GetString()!, c.GetProperty("keyId").GetString()!)));
        Assert.All(cosignatures, c => Assert.Contains(c.GetProperty("line").GetString() + "\n", served.ToString(), StringComparison.Ordinal));
        Assert.All(cosignatures, c => Assert.InRange(c.GetProperty("cosignedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1)));

        // An export carries the cosignatures, so a quorum of both witnesses vouches for it.
        string[] quorum = ["--key", LogKey, "--witness", factory.Witnesses[0].Key.VerifierKey, "--witness", factory.Witnesses[1].Key.VerifierKey, "--quorum", "2"];
        var (verified, report) = await ledger.RunAsync(["verify", await ledger.ExportAsync(), .. quorum]);
        Assert.True(verified == 0, report);

        // The log grows: its new checkpoint is not witnessed yet, so the quorum leaves the new entries unvouched…
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 3);
        (verified, report) = await ledger.RunAsync(["verify", await ledger.ExportAsync(), .. quorum]);
        Assert.True(verified == 3, report);

        // …until the witnesses have checked the consistency proof from what they cosigned and cosign again.
        foreach (var witness in factory.Witnesses)
        {
            var (code, output) = await WitnessAsync(witness);
            Assert.True(code == 0, output);
        }

        (verified, report) = await ledger.RunAsync(["verify", await ledger.ExportAsync(), .. quorum]);
        Assert.True(verified == 0, report);
    }

    [Fact]
    public async Task Pushing_the_same_cosignature_again_stores_nothing_new()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 1);
        var cosigned = factory.Witnesses[0].Key.Cosign(await IssuedAsync(), Now).ToString();

        var (status, first) = await PushAsync(cosigned);
        Assert.Equal(HttpStatusCode.OK, status);
        var (again, second) = await PushAsync(cosigned);
        Assert.Equal(HttpStatusCode.OK, again);

        Assert.True(first.GetProperty("cosignatures")[0].GetProperty("added").GetBoolean());
        Assert.False(second.GetProperty("cosignatures")[0].GetProperty("added").GetBoolean());
        Assert.Equal(first.GetProperty("size").GetInt64(), second.GetProperty("size").GetInt64());
        Assert.Equal(1, LinesBy(await ServedAsync(), factory.Witnesses[0]));
        Assert.Equal(SignedNote.Parse(cosigned).Signatures.Single(s => s.KeyName == factory.Witnesses[0].Name).ToLine(),
            (await ServedAsync()).Signatures.Single(s => s.KeyName == factory.Witnesses[0].Name).ToLine());
    }

    [Fact]
    public async Task A_cosignature_by_a_witness_the_ledger_does_not_know_is_refused()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 1);
        var issued = await IssuedAsync();
        await AssertRefusedAsync(factory.Stranger.Key.Cosign(issued, Now).ToString(), "stranger.witness.example (key ID");

        // A known witness's cosignature beside the stranger's does not get the stranger in: the push is all or nothing.
        var both = CosignedNotes.Merge(factory.Witnesses[1].Key.Cosign(issued, Now), factory.Stranger.Key.Cosign(issued, Now));
        await AssertRefusedAsync(both.ToString(), "is not a witness this ledger knows");

        // `ledger witness --push` cosigns (its state is its own) and reports the refusal in one line.
        var (code, output) = await WitnessAsync(factory.Stranger);
        Assert.True(code == 1, output);
        Assert.Contains($"PUSH REFUSED by {factory.Url}log/cosignatures (400): stranger.witness.example (key ID {factory.Stranger.Key.KeyId:x8}) is not a witness this ledger knows", output, StringComparison.Ordinal);
        Assert.Equal(0, LinesBy(await ServedAsync(), factory.Stranger));
    }

    [Fact]
    public async Task A_cosignature_whose_signature_does_not_verify_is_refused()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 1);
        var issued = await IssuedAsync();
        var cosigned = factory.Witnesses[1].Key.Cosign(issued, Now);
        var line = cosigned.Signatures.Single(s => s.KeyName == factory.Witnesses[1].Name);
        var forged = (byte[])line.Signature.Clone();
        forged[20] ^= 0x01;
        var bad = cosigned with { Signatures = [issued.Signatures[0], line with { Signature = forged }] };
        await AssertRefusedAsync(bad.ToString(), "does not verify over this checkpoint");

        // A genuine cosignature of another time moved onto this one's line fails the same way.
        var retimed = (byte[])line.Signature.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(retimed, (ulong)(Now - 3600));
        await AssertRefusedAsync((cosigned with { Signatures = [line with { Signature = retimed }] }).ToString(), "does not verify over this checkpoint");
    }

    [Fact]
    public async Task A_cosignature_of_a_checkpoint_the_log_never_signed_is_refused()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 1);
        var latest = Checkpoint.Parse((await IssuedAsync()).Text);
        var witness = factory.Witnesses[0].Key;

        // The latest size with another root: a fork the witness was shown elsewhere.
        var forkNote = new SignedNote(new Checkpoint(latest.Origin, latest.Size, Hash.Sha256("fork"u8)).ToNoteText(), []);
        await AssertRefusedAsync(witness.Cosign(forkNote, Now).ToString(), $"The log never signed this checkpoint: its checkpoint of size {latest.Size} has root {latest.Root}");

        // A size the log has not reached.
        var aheadNote = new SignedNote(new Checkpoint(latest.Origin, latest.Size + 1000, latest.Root).ToNoteText(), []);
        await AssertRefusedAsync(witness.Cosign(aheadNote, Now).ToString(), $"The log never signed a checkpoint of size {latest.Size + 1000}");

        // Another log's checkpoint.
        var otherNote = new SignedNote(new Checkpoint("other.example/log", latest.Size, latest.Root).ToNoteText(), []);
        await AssertRefusedAsync(witness.Cosign(otherNote, Now).ToString(), "this log is incidentledger.test/api");
    }

    [Fact]
    public async Task Pushes_that_are_not_cosigned_checkpoints_are_refused_with_the_reason()
    {
        await LedgerProbe.AppendAndAwaitCheckpointAsync(factory, client, 1);
        var issued = await IssuedAsync();
        await AssertRefusedAsync("", "The body is empty");
        await AssertRefusedAsync("hello\n", "is not a signed note");
        await AssertRefusedAsync(new SignedNote("hello\n", issued.Signatures).ToString(), "is not a checkpoint");
        await AssertRefusedAsync(issued.ToString(), "carries no witness cosignature");
        await AssertRefusedAsync(factory.Witnesses[0].Key.Cosign(issued, Now + 86_400).ToString(), "ahead of the ledger's clock");
        await AssertRefusedAsync(new string('x', 40_000), "at most 32768 bytes");
    }
}
