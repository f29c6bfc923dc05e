using System.Text.Json;
using IncidentLedger.Integrity.Envelopes;

namespace IncidentLedger.Integrity.Tests;

public sealed class StreamVerifierTests
{
    private static readonly Guid Stream = Guid.Parse("7d1f0b6e-4d1c-4b8a-9a57-0f6c3a1e2b90");

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var chain = EnvelopeTests.Chain(5);
        var result = StreamVerifier.Verify(Stream, chain, (5, chain[^1].StoredHash));
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(5, result.EventsChecked);
    }

    [Fact]
    public void A_changed_payload_is_located()
    {
        var chain = EnvelopeTests.Chain(5);
        chain[2] = chain[2] with { Envelope = chain[2].Envelope with { Data = JsonDocument.Parse("""{"n":999}""").RootElement } };
        var result = StreamVerifier.Verify(Stream, chain);
        Assert.Equal(ChainFailure.HashMismatch, result.Failure);
        Assert.Equal(3, result.FailedVersion);
    }

    [Fact]
    public void A_deleted_event_is_located_at_the_gap()
    {
        var chain = EnvelopeTests.Chain(5);
        chain.RemoveAt(1);
        var result = StreamVerifier.Verify(Stream, chain);
        Assert.Equal(ChainFailure.VersionGap, result.Failure);
        Assert.Equal(3, result.FailedVersion);
    }

    [Fact]
    public void A_deleted_event_renumbered_to_hide_the_gap_breaks_the_link()
    {
        var chain = EnvelopeTests.Chain(5);
        chain.RemoveAt(1);
        for (var i = 1; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { Envelope = chain[i].Envelope with { Version = i + 1 } };
        }

        var result = StreamVerifier.Verify(Stream, chain);
        Assert.Equal(ChainFailure.BrokenLink, result.Failure);
        Assert.Equal(2, result.FailedVersion);
    }

    [Fact]
    public void A_cut_tail_is_caught_by_the_stream_head()
    {
        var chain = EnvelopeTests.Chain(5);
        var head = (5L, chain[^1].StoredHash);
        chain.RemoveAt(4);
        var result = StreamVerifier.Verify(Stream, chain, head);
        Assert.Equal(ChainFailure.HeadMismatch, result.Failure);
    }

    [Fact]
    public void A_rehashed_forgery_still_breaks_the_next_link()
    {
        var chain = EnvelopeTests.Chain(4);
        var forged = chain[1].Envelope with { Data = JsonDocument.Parse("""{"n":-1}""").RootElement };
        chain[1] = new SealedEnvelope(forged, EnvelopeHasher.Hash(forged));
        var result = StreamVerifier.Verify(Stream, chain);
        Assert.Equal(ChainFailure.BrokenLink, result.Failure);
        Assert.Equal(3, result.FailedVersion);
    }
}
