using System.Security.Cryptography;
using System.Text;
using IncidentLedger.Integrity.Checkpoints;
using NSec.Cryptography;

namespace IncidentLedger.Integrity.Tests.Support;

/// <summary>An Ed25519 key for tests, from a fixed seed (so worked examples are reproducible) or fresh.</summary>
public sealed class TestEd25519 : IEd25519Signer
{
    private readonly Key key;

    private TestEd25519(Key key)
    {
        this.key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public byte[] PublicKey { get; }

    /// <summary>The key whose 32-byte seed is SHA-256 of <paramref name="label"/>.</summary>
    public static TestEd25519 FromLabel(string label) =>
        new(Key.Import(SignatureAlgorithm.Ed25519, SHA256.HashData(Encoding.UTF8.GetBytes(label)), KeyBlobFormat.RawPrivateKey));

    public static TestEd25519 Generate() => new(Key.Create(SignatureAlgorithm.Ed25519));

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(key, message);

    public static Ed25519NoteKey LogKey(string origin, string label) => Ed25519NoteKey.ForSigner(origin, FromLabel(label));

    public static CosignatureKey Witness(string name) => CosignatureKey.ForSigner(name, FromLabel(name));
}
