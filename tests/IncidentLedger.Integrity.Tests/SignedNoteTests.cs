using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.Integrity.Tests;

public sealed class SignedNoteTests
{
    private static readonly Checkpoint Example = new("incidentledger.test/log", 20852163, Hash.Sha256("root"u8));

    [Fact]
    public void A_checkpoint_body_is_origin_size_and_base64_root_on_three_lines()
    {
        var text = Example.ToNoteText();
        Assert.Equal($"incidentledger.test/log\n20852163\n{Convert.ToBase64String(Example.Root.Bytes)}\n", text);
        Assert.Equal(Example, Checkpoint.Parse(text));
    }

    [Theory]
    [InlineData("origin\n12\n")]
    [InlineData("origin\n012\nAAAA\n")]
    [InlineData("origin\n12\nnot base64!\n")]
    [InlineData("origin\n12\nAAAA\n")]
    [InlineData("ori gin\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("origin\n12\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")]
    public void Malformed_checkpoints_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => Checkpoint.Parse(text));
    }

    [Fact]
    public void A_signed_checkpoint_round_trips_and_verifies_with_the_published_verifier_key()
    {
        using var key = EcdsaNoteKey.Generate("incidentledger.test/log");
        var note = SignedNote.Sign(Example.ToNoteText(), key);
        var text = note.ToString();

        Assert.StartsWith(Example.ToNoteText() + "\n— incidentledger.test/log ", text, StringComparison.Ordinal);
        var parsed = SignedNote.Parse(text);
        using var verifier = EcdsaNoteKey.FromVerifierKey(key.VerifierKey);
        Assert.True(parsed.IsVerifiedBy(verifier));
        Assert.Equal(Example, Checkpoint.Parse(parsed.Text));
    }

    [Fact]
    public void A_changed_body_fails_verification()
    {
        using var key = EcdsaNoteKey.Generate("incidentledger.test/log");
        var text = SignedNote.Sign(Example.ToNoteText(), key).ToString().Replace("20852163", "20852164", StringComparison.Ordinal);
        Assert.False(SignedNote.Parse(text).IsVerifiedBy(key));
    }

    [Fact]
    public void Signatures_of_unknown_keys_are_ignored_and_a_note_without_a_known_signature_is_rejected()
    {
        using var log = EcdsaNoteKey.Generate("incidentledger.test/log");
        using var witness = EcdsaNoteKey.Generate("witness.example/w1");
        using var stranger = EcdsaNoteKey.Generate("incidentledger.test/log");
        var note = SignedNote.Sign(Example.ToNoteText(), log, witness);

        Assert.True(note.IsVerifiedBy(log));
        Assert.True(note.IsVerifiedBy(log, witness));
        Assert.False(note.IsVerifiedBy(stranger));
    }

    [Fact]
    public void A_verifier_key_whose_id_does_not_match_its_key_is_refused()
    {
        using var key = EcdsaNoteKey.Generate("incidentledger.test/log");
        var parts = key.VerifierKey.Split('+', 3);
        Assert.Throws<FormatException>(() => EcdsaNoteKey.FromVerifierKey($"{parts[0]}+00000000+{parts[2]}"));
    }

    [Fact]
    public void A_private_key_survives_export_and_import()
    {
        using var key = EcdsaNoteKey.Generate("incidentledger.test/log");
        using var again = EcdsaNoteKey.FromPrivateKeyPem("incidentledger.test/log", key.ExportPrivateKeyPem());
        Assert.Equal(key.VerifierKey, again.VerifierKey);
        Assert.True(SignedNote.Sign(Example.ToNoteText(), again).IsVerifiedBy(key));
    }

    [Theory]
    [InlineData("text\n")]
    [InlineData("text\n\n— name\n")]
    [InlineData("text\n\nname AAAAAAAA\n")]
    [InlineData("text\n\n— name AAAA\n")]
    [InlineData("te\u0001xt\n\n— name AAAAAAAA\n")]
    public void Malformed_notes_are_refused(string note)
    {
        Assert.Throws<FormatException>(() => SignedNote.Parse(note));
    }
}
