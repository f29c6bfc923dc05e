using System.Buffers.Binary;
using System.Text;

namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>One signature line of a note: the key's name, its 32-bit id and the signature bytes.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature)
{
    public string ToLine() => $"— {KeyName} {Convert.ToBase64String([.. KeyIdBytes(KeyId), .. Signature])}\n";

    internal static byte[] KeyIdBytes(uint keyId)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, keyId);
        return bytes;
    }
}

/// <summary>Signs note text as one key.</summary>
public interface INoteSigner
{
    string KeyName { get; }

    uint KeyId { get; }

    /// <summary>The verifier key (name+keyid+base64(type ‖ key)) that checks this signer's signatures.</summary>
    string VerifierKey { get; }

    byte[] Sign(ReadOnlySpan<byte> text);
}

/// <summary>Verifies signatures of one known key.</summary>
public interface INoteVerifier
{
    string KeyName { get; }

    uint KeyId { get; }

    bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature);
}

/// <summary>
/// A C2SP signed note: UTF-8 text ending in a newline, a blank line, then one or more lines
/// "— name base64(keyid ‖ signature)". Parsing is strict; signatures of unknown keys are ignored.
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    /// <summary>More signature lines than this and the note is refused.</summary>
    public const int MaxSignatures = 100;

    public static SignedNote Sign(string text, params INoteSigner[] signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        ValidateText(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return new SignedNote(text, [.. signers.Select(s => new NoteSignature(s.KeyName, s.KeyId, s.Sign(bytes)))]);
    }

    public override string ToString() => Text + "\n" + string.Concat(Signatures.Select(s => s.ToLine()));

    public static SignedNote Parse(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new FormatException("A signed note is its text, a blank line, then its signature lines.");
        }

        var text = note[..(split + 1)];
        ValidateText(text);
        var block = note[(split + 2)..];
        if (!block.EndsWith('\n'))
        {
            throw new FormatException("A signed note ends with a newline.");
        }

        var signatures = new List<NoteSignature>();
        foreach (var line in block[..^1].Split('\n'))
        {
            if (!line.StartsWith("— ", StringComparison.Ordinal))
            {
                throw new FormatException($"\"{line}\" is not a signature line (\"— name signature\").");
            }

            var parts = line[2..].Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[0].Contains('+', StringComparison.Ordinal))
            {
                throw new FormatException($"\"{line}\" is not a signature line (\"— name signature\").");
            }

            byte[] raw;
            try
            {
                raw = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException)
            {
                throw new FormatException($"The signature of {parts[0]} is not base64.");
            }

            if (raw.Length < 5)
            {
                throw new FormatException($"The signature of {parts[0]} is too short to hold a key id and a signature.");
            }

            signatures.Add(new NoteSignature(parts[0], BinaryPrimitives.ReadUInt32BigEndian(raw), raw[4..]));
            if (signatures.Count > MaxSignatures)
            {
                throw new FormatException($"A note with more than {MaxSignatures} signatures is refused.");
            }
        }

        return new SignedNote(text, signatures);
    }

    /// <summary>
    /// True when at least one known key signed the note and every signature by a known key verifies
    /// (C2SP: a failing signature of a known key rejects the note; unknown keys are ignored).
    /// </summary>
    public bool IsVerifiedBy(params INoteVerifier[] verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        var bytes = Encoding.UTF8.GetBytes(Text);
        var verified = false;
        foreach (var signature in Signatures)
        {
            var key = verifiers.FirstOrDefault(v => v.KeyName == signature.KeyName && v.KeyId == signature.KeyId);
            if (key is null)
            {
                continue;
            }

            if (!key.Verify(bytes, signature.Signature))
            {
                return false;
            }

            verified = true;
        }

        return verified;
    }

    private static void ValidateText(string text)
    {
        if (text.Length == 0 || !text.EndsWith('\n'))
        {
            throw new FormatException("A note's text is non-empty and ends with a newline.");
        }

        if (text.Any(c => c < 0x20 && c != '\n'))
        {
            throw new FormatException("A note holds no control characters other than newline.");
        }
    }
}
