using System.Text;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>Ed25519 note keys: RFC 8032's test vectors, libsodium's strict rules, C2SP key IDs and verifier keys.</summary>
public sealed class Ed25519Tests
{
    private static Ed25519NoteKey Key(byte[] publicKey) => Ed25519NoteKey.FromPublicKey("rfc8032.example/log", publicKey);

    [Theory]
    // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void The_RFC_8032_test_vectors_verify_and_a_changed_message_does_not(string publicKey, string message, string signature)
    {
        var (key, m, sig) = (Key(Convert.FromHexString(publicKey)), Convert.FromHexString(message), Convert.FromHexString(signature));
        Assert.True(key.Verify(m, sig));
        Assert.False(key.Verify([.. m, 0x00], sig));
        Assert.False(key.Verify(m, sig.AsSpan(0, 63)));
    }

    [Fact]
    public void An_S_at_or_above_the_group_order_is_refused()
    {
        var signer = TestEd25519.FromLabel("order");
        var message = "checkpoint"u8.ToArray();
        var signature = signer.Sign(message);

        // S + L names the same point, so a lax verifier accepts it: the signature would be malleable.
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true) + (System.Numerics.BigInteger.Pow(2, 252) + System.Numerics.BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture));
        var malleable = (byte[])signature.Clone();
        s.TryWriteBytes(malleable.AsSpan(32), out _, isUnsigned: true);
        Assert.True(Key(signer.PublicKey).Verify(message, signature));
        Assert.False(Key(signer.PublicKey).Verify(message, malleable));
    }

    [Fact]
    public void A_key_of_small_order_vouches_for_nothing()
    {
        // A = R = the identity and S = 0 satisfy [S]B = R + [k]A for every message under a check that admits small-order points.
        var identity = new byte[32];
        identity[0] = 1;
        var signature = new byte[64];
        signature[0] = 1;
        Assert.False(Key(identity).Verify("any checkpoint"u8, signature));
    }

    [Fact]
    public void A_non_canonical_key_verifies_nothing()
    {
        var signer = TestEd25519.FromLabel("canonical");
        var message = "checkpoint"u8.ToArray();
        var nonCanonical = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        nonCanonical[31] = 0x7F;
        Assert.False(Key(nonCanonical).Verify(message, signer.Sign(message)));
    }

    [Fact]
    public void A_public_key_that_is_not_32_bytes_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => Key(new byte[31]));
        Assert.Throws<FormatException>(() => Key(new byte[33]));
    }

    [Fact]
    public void An_ed25519_note_key_has_the_C2SP_key_id_and_verifier_key()
    {
        var signer = TestEd25519.FromLabel("c2sp");
        var key = Ed25519NoteKey.ForSigner("example.com/log", signer);
        var expectedId = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(
            System.Security.Cryptography.SHA256.HashData([.. Encoding.UTF8.GetBytes("example.com/log"), 0x0A, 0x01, .. signer.PublicKey]).AsSpan(0, 4));
        Assert.Equal(expectedId, key.KeyId);
        Assert.Equal($"example.com/log+{expectedId:x8}+{Convert.ToBase64String([0x01, .. signer.PublicKey])}", key.VerifierKey);

        var note = SignedNote.Sign(new Checkpoint("example.com/log", 7, Hash.Sha256("r"u8)).ToNoteText(), key);
        var verifier = VerifierKeys.Parse(key.VerifierKey);
        Assert.IsType<Ed25519NoteKey>(verifier);
        Assert.True(SignedNote.Parse(note.ToString()).IsVerifiedBy(verifier));
        Assert.False(SignedNote.Parse(note.ToString().Replace("\n7\n", "\n8\n", StringComparison.Ordinal)).IsVerifiedBy(verifier));
    }

    [Theory]
    [InlineData("example.com/log")]
    [InlineData("example.com/log+")]
    [InlineData("example.com/log+0000000+AQ==")]
    [InlineData("example.com/log+ABCDEF01+AQ==")]
    [InlineData("exa mple.com/log+abcdef01+AQ==")]
    [InlineData("example.com/log+abcdef01+not base64")]
    [InlineData("example.com/log+abcdef01+AQ")]
    [InlineData("example.com/log+abcdef01+BwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("example.com/log+abcdef01+AgAAAA==")]
    public void Malformed_verifier_keys_are_refused_with_a_format_error(string key)
    {
        Assert.Throws<FormatException>(() => VerifierKeys.Parse(key));
    }

    [Fact]
    public void A_verifier_key_whose_base64_holds_plus_signs_splits_at_the_first_two()
    {
        for (var i = 0; ; i++)
        {
            var key = Ed25519NoteKey.ForSigner("example.com/log", TestEd25519.FromLabel($"plus {i}"));
            if (key.VerifierKey.Split('+').Length > 3)
            {
                Assert.Equal(key.KeyId, VerifierKeys.Parse(key.VerifierKey).KeyId);
                return;
            }
        }
    }

    [Fact]
    public void A_wrong_key_id_is_refused()
    {
        var key = Ed25519NoteKey.ForSigner("example.com/log", TestEd25519.FromLabel("id"));
        var parts = key.VerifierKey.Split('+', 3);
        Assert.Throws<FormatException>(() => VerifierKeys.Parse($"{parts[0]}+00000000+{parts[2]}"));
        Assert.Throws<FormatException>(() => VerifierKeys.Parse($"another.example/log+{parts[1]}+{parts[2]}"));
    }
}
