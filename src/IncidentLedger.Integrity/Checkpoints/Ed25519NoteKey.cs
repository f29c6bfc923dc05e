using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>
/// A signed-note key of type 0x01 (C2SP signed-note): Ed25519, key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4],
/// verifier key name+keyid+base64(0x01 ‖ public key). Verifies with libsodium (<see cref="Ed25519Keys"/>);
/// signs only when built over an <see cref="IEd25519Signer"/>.
/// </summary>
public sealed class Ed25519NoteKey : Ed25519Key, INoteSigner, INoteVerifier
{
    public const byte SignatureType = 0x01;

    private Ed25519NoteKey(string keyName, byte[] publicKey, IEd25519Signer? signer)
        : base(keyName, publicKey, signer, SignatureType)
    {
    }

    public static Ed25519NoteKey ForSigner(string keyName, IEd25519Signer signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return new Ed25519NoteKey(keyName, signer.PublicKey, signer);
    }

    public static Ed25519NoteKey FromPublicKey(string keyName, ReadOnlySpan<byte> publicKey) => new(keyName, publicKey.ToArray(), null);

    /// <summary>Parses a type 0x01 verifier key and checks that its key ID matches its name and key.</summary>
    public static Ed25519NoteKey FromVerifierKey(string verifierKey)
    {
        var (name, key, id) = Parse(verifierKey, SignatureType, "The verifier key is of signature type 0x{0:x2}, not 0x01 (Ed25519).");
        var parsed = new Ed25519NoteKey(name, key, null);
        VerifierKeys.CheckId(parsed.KeyId, id);
        return parsed;
    }

    public byte[] Sign(ReadOnlySpan<byte> text) => SignBytes(text);

    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) => Ed25519Keys.Verify(Verifier, text, signature);
}

/// <summary>The verifier-key text form shared by every key type: name+keyid+base64(type ‖ key material).</summary>
public static class VerifierKeys
{
    /// <summary>Parses a verifier key of any supported type: 0x01 (Ed25519), 0x02 (ECDSA P-256) or 0x04 (Ed25519 cosignature).</summary>
    public static INoteVerifier Parse(string verifierKey)
    {
        var (_, _, type, _) = Split(verifierKey);
        return type switch
        {
            Ed25519NoteKey.SignatureType => Ed25519NoteKey.FromVerifierKey(verifierKey),
            EcdsaNoteKey.SignatureType => EcdsaNoteKey.FromVerifierKey(verifierKey),
            CosignatureKey.SignatureType => CosignatureKey.FromVerifierKey(verifierKey),
            _ => throw new FormatException($"Signature type 0x{type:x2} is not supported (0x01 Ed25519, 0x02 ECDSA P-256, 0x04 Ed25519 cosignature)."),
        };
    }

    /// <summary>
    /// Splits at the first two '+': the name holds none, the key ID is 8 lower-case hex digits, and
    /// everything after the second '+' is the base64 key (which may itself contain '+').
    /// </summary>
    public static (string Name, string KeyId, byte Type, byte[] Key) Split(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        var parts = verifierKey.Split('+', 3);
        if (parts.Length != 3)
        {
            throw new FormatException("A verifier key reads name+keyid+base64key.");
        }

        ValidateName(parts[0]);
        if (parts[1].Length != 8 || !parts[1].All(char.IsAsciiHexDigitLower))
        {
            throw new FormatException($"The key ID \"{parts[1]}\" of a verifier key is 8 lower-case hex digits.");
        }

        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new FormatException("The key of a verifier key is not base64.");
        }

        if (raw.Length < 2 || Convert.ToBase64String(raw) != parts[2])
        {
            throw new FormatException("The key of a verifier key is not canonical base64 of a type byte and key material.");
        }

        return (parts[0], parts[1], raw[0], raw[1..]);
    }

    /// <summary>A key name is non-empty UTF-8 without spaces, control characters or '+'.</summary>
    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+'))
        {
            throw new FormatException($"\"{name}\" is not a key name: it is non-empty, with no spaces, control characters or '+'.");
        }
    }

    /// <summary>SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4], big-endian: the key ID of C2SP signed-note for types 0x01 and 0x04.</summary>
    public static uint KeyId(string name, byte type, ReadOnlySpan<byte> key)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + key.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = type;
        key.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input).AsSpan(0, 4));
    }

    public static string Format(string name, uint keyId, byte type, ReadOnlySpan<byte> key) =>
        $"{name}+{keyId:x8}+{Convert.ToBase64String([type, .. key])}";

    internal static void CheckId(uint computed, string stated)
    {
        if (computed.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) != stated)
        {
            throw new FormatException($"The verifier key's ID {stated} does not match its name and key ({computed:x8}).");
        }
    }
}
