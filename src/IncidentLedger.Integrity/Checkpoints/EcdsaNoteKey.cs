using System.Buffers.Binary;
using System.Security.Cryptography;


namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>
/// A signed-note key of type 0x02: ECDSA over NIST P-256 with SHA-256, signatures DER-encoded,
/// key id = the first four bytes of SHA-256 of the DER SubjectPublicKeyInfo.
/// New logs sign with Ed25519 (<see cref="Ed25519NoteKey"/>); this type remains so that checkpoints
/// signed before the switch, and keys kept for rotation, still verify.
/// </summary>
public sealed class EcdsaNoteKey : INoteSigner, INoteVerifier, IDisposable
{
    public const byte SignatureType = 0x02;
    private readonly ECDsa key;
    private readonly bool canSign;

    private EcdsaNoteKey(string keyName, ECDsa key, bool canSign)
    {
        if (string.IsNullOrEmpty(keyName) || keyName.Any(c => char.IsWhiteSpace(c) || c == '+'))
        {
            throw new ArgumentException("A key name is non-empty, with no spaces or '+'.", nameof(keyName));
        }

        KeyName = keyName;
        this.key = key;
        this.canSign = canSign;
        PublicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(PublicKey).AsSpan(0, 4));
    }

    public string KeyName { get; }

    public uint KeyId { get; }

    /// <summary>The DER-encoded SubjectPublicKeyInfo.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The verifier key in note form: name+keyid(hex)+base64(0x02 ‖ SPKI).</summary>
    public string VerifierKey => $"{KeyName}+{KeyId:x8}+{Convert.ToBase64String([SignatureType, .. PublicKey])}";

    public static EcdsaNoteKey Generate(string keyName) => new(keyName, ECDsa.Create(ECCurve.NamedCurves.nistP256), canSign: true);

    /// <summary>Loads a private key from PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").</summary>
    public static EcdsaNoteKey FromPrivateKeyPem(string keyName, string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256)
        {
            throw new ArgumentException("Checkpoint keys are NIST P-256.", nameof(pem));
        }

        return new EcdsaNoteKey(keyName, key, canSign: true);
    }

    /// <summary>Parses a verifier key "name+keyid+base64(0x02 ‖ SPKI)" and checks that its key id matches.</summary>
    public static EcdsaNoteKey FromVerifierKey(string verifierKey)
    {
        var (name, id, type, spki) = VerifierKeys.Split(verifierKey);
        if (type != SignatureType)
        {
            throw new FormatException($"The verifier key is of signature type 0x{type:x2}, not 0x{SignatureType:x2} (ECDSA P-256).");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || key.KeySize != 256)
            {
                throw new FormatException("The verifier key is not exactly one NIST P-256 SubjectPublicKeyInfo.");
            }
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new FormatException($"The verifier key does not hold a P-256 public key: {e.Message}");
        }

        var parsed = new EcdsaNoteKey(name, key, canSign: false);
        VerifierKeys.CheckId(parsed.KeyId, id);
        return parsed;
    }

    public string ExportPrivateKeyPem() => canSign ? key.ExportPkcs8PrivateKeyPem() : throw new InvalidOperationException("This key can only verify.");

    public byte[] Sign(ReadOnlySpan<byte> text) =>
        canSign ? key.SignData(text, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence) : throw new InvalidOperationException("This key can only verify.");

    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.VerifyData(text, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => key.Dispose();

}
