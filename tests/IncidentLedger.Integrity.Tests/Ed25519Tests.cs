using System.Text;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Tests.Support;

namespace IncidentLedger.Integrity.Tests;

/// <summary>The managed Ed25519 verifier against RFC 8032's test vectors and against libsodium (NSec).</summary>
public sealed class Ed25519Tests
{
    [Theory]
    // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void The_RFC_8032_test_vectors_verify_and_a_changed_message_does_not(string publicKey, string message, string signature)
    {
        var (pk, m, sig) = (Convert.FromHexString(publicKey), Convert.FromHexString(message), Convert.FromHexString(signature));
        Assert.True(Ed25519.Verify(pk, m, sig));
        Assert.False(Ed25519.Verify(pk, [.. m, 0x00], sig));
    }

    [Fact]
    public void It_agrees_with_libsodium_on_genuine_and_altered_signatures()
    {
        var random = new Random(13);
        for (var i = 0; i < 40; i++)
        {
            var key = TestEd25519.FromLabel($"key {i}");
            var message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            var signature = key.Sign(message);
            Assert.True(Ed25519.Verify(key.PublicKey, message, signature));

            var altered = (byte[])signature.Clone();
            altered[random.Next(64)] ^= (byte)(1 << random.Next(8));
            Assert.Equal(
                NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(NSec.Cryptography.PublicKey.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, key.PublicKey, NSec.Cryptography.KeyBlobFormat.RawPublicKey), message, altered),
                Ed25519.Verify(key.PublicKey, message, altered));
            Assert.False(Ed25519.Verify(TestEd25519.FromLabel($"other {i}").PublicKey, message, signature));
        }
    }

    [Fact]
    public void An_S_at_or_above_the_group_order_and_non_canonical_keys_are_refused()
    {
        var key = TestEd25519.FromLabel("order");
        var message = "checkpoint"u8.ToArray();
        var signature = key.Sign(message);

        // S + L verifies under a lax check (same point), so a strict verifier must refuse it.
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true) + (System.Numerics.BigInteger.Pow(2, 252) + System.Numerics.BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture));
        var malleable = (byte[])signature.Clone();
        s.TryWriteBytes(malleable.AsSpan(32), out _, isUnsigned: true);
        Assert.False(Ed25519.Verify(key.PublicKey, message, malleable));

        var nonCanonical = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        nonCanonical[31] = 0x7F;
        Assert.False(Ed25519.IsValidPublicKey(nonCanonical));
        Assert.False(Ed25519.Verify(nonCanonical, message, signature));
        Assert.False(Ed25519.Verify(key.PublicKey.AsSpan(0, 31), message, signature));
        Assert.False(Ed25519.Verify(key.PublicKey, message, signature.AsSpan(0, 63)));
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
