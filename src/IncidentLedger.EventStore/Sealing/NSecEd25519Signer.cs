using System.Text;
using IncidentLedger.Integrity.Checkpoints;
using NSec.Cryptography;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>An Ed25519 private key held by NSec (libsodium), for checkpoint, receipt and cosignature signing.</summary>
public sealed class NSecEd25519Signer : IEd25519Signer, IDisposable
{
    private readonly Key key;

    private NSecEd25519Signer(Key key)
    {
        this.key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public byte[] PublicKey { get; }

    public static NSecEd25519Signer Generate() => new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Loads an RFC 8410 PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", OID 1.3.101.112), or returns null when the PEM is not an Ed25519 key.</summary>
    public static NSecEd25519Signer? TryFromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return Key.TryImport(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(pem.Trim() + "\n"), KeyBlobFormat.PkixPrivateKeyText, out var key, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }) ? new NSecEd25519Signer(key!) : null;
    }

    public string ExportPem() => Encoding.ASCII.GetString(key.Export(KeyBlobFormat.PkixPrivateKeyText));

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(key, message);

    public void Dispose() => key.Dispose();
}
