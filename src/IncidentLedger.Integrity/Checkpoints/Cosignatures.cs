using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>
/// A witness key for C2SP tlog-cosignature/v1 (signature type 0x04, Ed25519): key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4];
/// the signature is an 8-byte big-endian POSIX timestamp followed by the Ed25519 signature of
/// "cosignature/v1\ntime &lt;timestamp&gt;\n" ‖ the checkpoint's note text.
/// </summary>
public sealed class CosignatureKey : Ed25519Key, INoteVerifier
{
    public const byte SignatureType = 0x04;

    private CosignatureKey(string keyName, byte[] publicKey, IEd25519Signer? signer)
        : base(keyName, publicKey, signer, SignatureType)
    {
    }

    public static CosignatureKey ForSigner(string keyName, IEd25519Signer signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return new CosignatureKey(keyName, signer.PublicKey, signer);
    }

    public static CosignatureKey FromVerifierKey(string verifierKey)
    {
        var (name, key, id) = Parse(verifierKey, SignatureType, "A witness key is of signature type 0x04 (Ed25519 cosignature), not 0x{0:x2}.");
        var parsed = new CosignatureKey(name, key, null);
        VerifierKeys.CheckId(parsed.KeyId, id);
        return parsed;
    }

    /// <summary>The bytes a cosignature signs: the cosignature/v1 header, the time line, then the checkpoint's note text.</summary>
    public static byte[] SignedMessage(string noteText, long timestamp) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cosignature/v1\ntime {timestamp}\n{noteText}"));

    /// <summary>Cosigns <paramref name="note"/> at <paramref name="timestamp"/> (POSIX seconds) and returns the note with the cosignature added.</summary>
    public SignedNote Cosign(SignedNote note, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        var s = SignBytes(SignedMessage(note.Text, timestamp));
        var bytes = new byte[8 + s.Length];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)timestamp);
        s.CopyTo(bytes, 8);
        return CosignedNotes.Merge(note, new SignedNote(note.Text, [new NoteSignature(KeyName, KeyId, bytes)]));
    }

    /// <summary>Verifies a cosignature and returns its timestamp, or null when it does not verify.</summary>
    public long? VerifiedTimestamp(ReadOnlySpan<byte> noteText, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 8 + Ed25519Keys.SignatureSize)
        {
            return null;
        }

        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(signature);
        if (timestamp > long.MaxValue)
        {
            return null;
        }

        var message = SignedMessage(Encoding.UTF8.GetString(noteText), (long)timestamp);
        return Ed25519Keys.Verify(Verifier, message, signature[8..]) ? (long)timestamp : null;
    }

    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) => VerifiedTimestamp(text, signature) is not null;
}

/// <summary>Combining and counting the signatures on one checkpoint.</summary>
public static class CosignedNotes
{
    /// <summary>One note carrying every distinct signature line of <paramref name="notes"/>, which must all have the same text.</summary>
    public static SignedNote Merge(params SignedNote[] notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Length == 0)
        {
            throw new ArgumentException("Nothing to merge.", nameof(notes));
        }

        var text = notes[0].Text;
        var lines = new List<NoteSignature>();
        foreach (var note in notes)
        {
            if (note.Text != text)
            {
                throw new ArgumentException("Only notes with the same text can be merged; these are different checkpoints.", nameof(notes));
            }

            foreach (var signature in note.Signatures)
            {
                if (!lines.Any(l => l.KeyName == signature.KeyName && l.KeyId == signature.KeyId && l.Signature.AsSpan().SequenceEqual(signature.Signature)))
                {
                    lines.Add(signature);
                }
            }
        }

        return new SignedNote(text, lines);
    }

    /// <summary>The distinct witnesses among <paramref name="witnesses"/> whose cosignature on <paramref name="note"/> verifies.</summary>
    public static IReadOnlyList<CosignatureKey> VerifiedWitnesses(SignedNote note, IEnumerable<CosignatureKey> witnesses)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(witnesses);
        var text = Encoding.UTF8.GetBytes(note.Text);
        return [.. witnesses.DistinctBy(w => (w.KeyName, w.KeyId)).Where(w => note.Signatures.Any(s => s.KeyName == w.KeyName && s.KeyId == w.KeyId && w.Verify(text, s.Signature)))];
    }
}
