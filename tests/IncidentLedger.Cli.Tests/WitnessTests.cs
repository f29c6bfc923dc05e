using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Testing;

namespace IncidentLedger.Cli.Tests;

/// <summary>The log's checkpoint and consistency endpoints on loopback, with a hook to serve what a dishonest log would.</summary>
public sealed class LogServer : IDisposable
{
    private readonly LoopbackHttpServer server;
    private readonly LedgerLog log;

    public LogServer(LedgerLog log)
    {
        this.log = log;
        server = new LoopbackHttpServer("/", AnswerAsync);
    }

    public Uri Url => server.Url;

    /// <summary>When set, served instead of the log's real latest checkpoint.</summary>
    public string? Checkpoint { get; set; }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        string body;
        if (context.Request.Url!.AbsolutePath == "/log/checkpoint")
        {
            body = Checkpoint ?? (await log.LatestCheckpointAsync())!.Note;
        }
        else
        {
            var first = long.Parse(context.Request.QueryString["first"]!, CultureInfo.InvariantCulture);
            var second = long.Parse(context.Request.QueryString["second"]!, CultureInfo.InvariantCulture);
            var proof = await log.ConsistencyProofAsync(first, second);
            body = JsonSerializer.Serialize(new { first, second, path = proof.Path.Select(h => h.ToString()) });
        }

        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
    }

    public void Dispose() => server.Dispose();
}

public sealed class WitnessTests : IAsyncLifetime
{
    private readonly SealedLedger ledger = new();
    private readonly string state = Path.Combine(Path.GetTempPath(), $"witness-state-{Guid.NewGuid():N}.txt");
    private readonly string key = Path.Combine(Path.GetTempPath(), $"witness-key-{Guid.NewGuid():N}.pem");
    private LogServer server = null!;

    public async ValueTask InitializeAsync()
    {
        await ledger.InitializeAsync();
        server = new LogServer(ledger.Log);
    }

    public async ValueTask DisposeAsync()
    {
        server.Dispose();
        File.Delete(state);
        File.Delete(key);
        await ledger.DisposeAsync();
    }

    private Task<(int Code, string Output)> WitnessAsync() => ledger.LedgerAsync(
        "witness", "--log", server.Url.ToString(), "--log-key", ledger.CheckpointKey.VerifierKey, "--state", state, "--key", key, "--name", "witness.example/w1");

    private async Task GrowLogAsync(int events)
    {
        await ledger.WriteOrganisationsAsync(1, events);

        var sealer = ledger.CreateSealer(o => o with { CheckpointEvery = TimeSpan.Zero });
        while ((await sealer.SealOnceAsync()).Sealed > 0)
        {
        }
    }

    [Fact]
    public async Task A_witness_trusts_on_first_use_then_cosigns_each_consistent_extension()
    {
        var (code, output) = await WitnessAsync();
        Assert.True(code == 0, output);
        Assert.Contains("trusting size 60 on first use", output, StringComparison.Ordinal);

        await GrowLogAsync(7);
        (code, output) = await WitnessAsync();
        Assert.True(code == 0, output);
        Assert.Contains("cosigned incidentledger.test/log at size 67", output, StringComparison.Ordinal);

        var cosigned = SignedNote.Parse(await File.ReadAllTextAsync(state));
        var witnessKey = CosignatureKey.FromVerifierKey(CheckpointKeys.LoadWitness("witness.example/w1", key, createIfMissing: false).VerifierKey);
        Assert.True(cosigned.IsVerifiedBy(ledger.CheckpointKey));
        Assert.True(cosigned.IsVerifiedBy(witnessKey));
        Assert.Equal(2, cosigned.Signatures.Count);
        Assert.Equal(8 + 64, cosigned.Signatures[1].Signature.Length);
    }

    [Fact]
    public async Task A_log_that_goes_back_to_an_older_checkpoint_is_refused()
    {
        var older = (await ledger.Log.CheckpointsAsync())[2].Note;
        Assert.Equal(0, (await WitnessAsync()).Code);

        server.Checkpoint = older;
        var (code, output) = await WitnessAsync();
        Assert.Equal(1, code);
        Assert.Contains("rolled back", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_that_rewrote_its_history_is_refused()
    {
        Assert.Equal(0, (await WitnessAsync()).Code);
        await GrowLogAsync(3);

        // Validly signed by the log's key, but for a tree that does not extend the one the witness saw.
        server.Checkpoint = SignedNote.Sign(new Checkpoint(SealedLedger.Origin, 63, Hash.Sha256("another history"u8)).ToNoteText(), ledger.CheckpointKey).ToString();
        var (code, output) = await WitnessAsync();
        Assert.Equal(1, code);
        Assert.Contains("rewritten", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_not_signed_by_the_log_is_refused()
    {
        using var impostor = EcdsaNoteKey.Generate(SealedLedger.Origin);
        server.Checkpoint = SignedNote.Sign(new Checkpoint(SealedLedger.Origin, 60, Hash.Sha256("x"u8)).ToNoteText(), impostor).ToString();
        var (code, output) = await WitnessAsync();
        Assert.Equal(1, code);
        Assert.Contains("not signed by the log's key", output, StringComparison.Ordinal);
        Assert.False(File.Exists(state));
    }

    [Fact]
    public async Task A_push_url_that_is_not_http_is_a_usage_error()
    {
        var (code, output) = await ledger.LedgerAsync(
            "witness", "--log", server.Url.ToString(), "--log-key", ledger.CheckpointKey.VerifierKey, "--state", state, "--key", key, "--name", "witness.example/w1", "--push", "ftp://ledger.example");
        Assert.Equal(2, code);
        Assert.Contains("--push must be an http(s) URL", output, StringComparison.Ordinal);
        Assert.False(File.Exists(state));
    }

    [Fact]
    public async Task A_ledger_that_cannot_take_the_push_leaves_the_cosignature_standing()
    {
        var (code, output) = await ledger.LedgerAsync(
            "witness", "--log", server.Url.ToString(), "--log-key", ledger.CheckpointKey.VerifierKey, "--state", state, "--key", key, "--name", "witness.example/w1", "--push", "http://127.0.0.1:1/");
        Assert.Equal(1, code);
        Assert.Contains("cosigned incidentledger.test/log at size 60", output, StringComparison.Ordinal);
        Assert.Contains("Could not push to http://127.0.0.1:1/log/cosignatures", output, StringComparison.Ordinal);
        Assert.Equal(2, SignedNote.Parse(await File.ReadAllTextAsync(state)).Signatures.Count);
    }
}
