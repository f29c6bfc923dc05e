using NSec.Cryptography;

namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>An Ed25519 private key held elsewhere (a library, an HSM): its public key and a way to sign with it.</summary>
public interface IEd25519Signer
{
    /// <summary>The 32-byte public key.</summary>
    byte[] PublicKey { get; }

    /// <summary>The 64-byte RFC 8032 signature of <paramref name="message"/>.</summary>
    byte[] Sign(ReadOnlySpan<byte> message);
}

/// <summary>
/// Ed25519 verification (RFC 8032) by libsodium through NSec. libsodium is strict: S must be below
/// the group order, A and R canonical encodings of points that are not of small order, and the
/// check the cofactorless encode([S]B − [k]A) = R.
/// </summary>
internal static class Ed25519Keys
{
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    /// <summary>The public key for verification, or a format error when it is not 32 bytes.</summary>
    public static PublicKey Import(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == PublicKeySize && PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) && key is not null
            ? key
            : throw new FormatException("An Ed25519 public key is 32 bytes.");

    public static bool Verify(PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureSize && SignatureAlgorithm.Ed25519.Verify(publicKey, message, signature);
}
