using System.Numerics;
using System.Security.Cryptography;

namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>
/// Ed25519 signature verification (RFC 8032 §5.1.7), managed and dependency-free, so a regulator can
/// check checkpoints with this assembly alone. Verification handles only public data, so plain
/// <see cref="BigInteger"/> arithmetic (not constant-time) is fine here; signing, which handles the
/// secret key, is left to a vetted library behind <see cref="IEd25519Signer"/>.
/// Strict: S must be below the group order, A and R must be canonical encodings, and the check is
/// the cofactorless one (encode([S]B − [k]A) = R), as libsodium and Go's crypto/ed25519 do.
/// </summary>
public static class Ed25519
{
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
    private static readonly BigInteger D2 = Mod(2 * D);
    private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);
    private static readonly Point BasePoint = Decode(BaseEncoding())!.Value;

    /// <summary>True when <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="message"/> by <paramref name="publicKey"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: false);
        if (s >= L || Decode(publicKey) is not { } a || Decode(signature[..32]) is null)
        {
            return false;
        }

        var digest = new byte[64];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512))
        {
            sha.AppendData(signature[..32]);
            sha.AppendData(publicKey);
            sha.AppendData(message);
            sha.GetHashAndReset(digest);
        }

        var k = new BigInteger(digest, isUnsigned: true, isBigEndian: false) % L;
        var negA = new Point(Mod(-a.X), a.Y, a.Z, Mod(-a.T));
        var r = Add(Multiply(BasePoint, s), Multiply(negA, k));
        return Encode(r).AsSpan().SequenceEqual(signature[..32]);
    }

    /// <summary>True when <paramref name="publicKey"/> is a canonical encoding of a curve point.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => publicKey.Length == PublicKeySize && Decode(publicKey) is not null;

    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T);

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);

    // RFC 8032 §5.1.4, extended coordinates (a = −1).
    private static Point Add(Point p, Point q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(p.T * D2 * q.T);
        var d = Mod(2 * p.Z * q.Z);
        var e = b - a;
        var f = d - c;
        var g = d + c;
        var h = b + a;
        return new Point(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static Point Multiply(Point p, BigInteger scalar)
    {
        var result = new Point(0, 1, 1, 0);
        var addend = p;
        while (!scalar.IsZero)
        {
            if (!scalar.IsEven)
            {
                result = Add(result, addend);
            }

            addend = Add(addend, addend);
            scalar >>= 1;
        }

        return result;
    }

    private static byte[] Encode(Point p)
    {
        var zInverse = Inverse(p.Z);
        var x = Mod(p.X * zInverse);
        var y = Mod(p.Y * zInverse);
        var bytes = new byte[32];
        y.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        if (!x.IsEven)
        {
            bytes[31] |= 0x80;
        }

        return bytes;
    }

    // RFC 8032 §5.1.3; non-canonical encodings (y ≥ p, or x = 0 with the sign bit set) are refused.
    private static Point? Decode(ReadOnlySpan<byte> encoded)
    {
        Span<byte> bytes = stackalloc byte[32];
        encoded.CopyTo(bytes);
        var sign = (bytes[31] & 0x80) != 0;
        bytes[31] &= 0x7F;
        var y = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        if (y >= P)
        {
            return null;
        }

        var y2 = Mod(y * y);
        var u = Mod(y2 - 1);
        var v = Mod((D * y2) + 1);
        var x2 = Mod(u * Inverse(v));
        var x = BigInteger.ModPow(x2, (P + 3) / 8, P);
        if (Mod(x * x) != x2)
        {
            x = Mod(x * SqrtMinusOne);
            if (Mod(x * x) != x2)
            {
                return null;
            }
        }

        if (x.IsZero && sign)
        {
            return null;
        }

        if (!x.IsEven != sign)
        {
            x = P - x;
        }

        return new Point(x, y, 1, Mod(x * y));
    }

    private static byte[] BaseEncoding()
    {
        var y = Mod(4 * Inverse(5));
        var bytes = new byte[32];
        y.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return bytes;
    }
}

/// <summary>An Ed25519 private key held elsewhere (a library, an HSM): its public key and a way to sign with it.</summary>
public interface IEd25519Signer
{
    /// <summary>The 32-byte public key.</summary>
    byte[] PublicKey { get; }

    /// <summary>The 64-byte RFC 8032 signature of <paramref name="message"/>.</summary>
    byte[] Sign(ReadOnlySpan<byte> message);
}
