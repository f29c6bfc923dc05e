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
        var negA = new Point(Sub(0, a.X), a.Y, a.Z, Sub(0, a.T));
        return Encode(DoubleScalarMultiply(s, BasePoint, k, negA)).AsSpan().SequenceEqual(signature[..32]);
    }

    /// <summary>True when <paramref name="publicKey"/> is a canonical encoding of a curve point.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => publicKey.Length == PublicKeySize && Decode(publicKey) is not null;

    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T);

    private static readonly BigInteger Mask = BigInteger.Pow(2, 255) - 1;

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    // Reduction of a non-negative value modulo 2^255 − 19 without division: 2^255 ≡ 19.
    private static BigInteger Reduce(BigInteger x)
    {
        while (x > Mask)
        {
            x = (x & Mask) + (19 * (x >> 255));
        }

        return x >= P ? x - P : x;
    }

    private static BigInteger Mul(BigInteger a, BigInteger b) => Reduce(a * b);

    private static BigInteger Sub(BigInteger a, BigInteger b) => a >= b ? a - b : a + P - b;

    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);

    // RFC 8032 §5.1.4, extended coordinates (a = −1); all coordinates are kept reduced and non-negative.
    private static Point Add(Point p, Point q)
    {
        var a = Mul(Sub(p.Y, p.X), Sub(q.Y, q.X));
        var b = Mul(p.Y + p.X, q.Y + q.X);
        var c = Mul(Mul(p.T, D2), q.T);
        var d = Reduce(2 * Mul(p.Z, q.Z));
        var e = Sub(b, a);
        var f = Sub(d, c);
        var g = Reduce(d + c);
        var h = Reduce(b + a);
        return new Point(Mul(e, f), Mul(g, h), Mul(f, g), Mul(e, h));
    }

    // RFC 8032 §5.1.4, point doubling.
    private static Point Double(Point p)
    {
        var a = Mul(p.X, p.X);
        var b = Mul(p.Y, p.Y);
        var c = Reduce(2 * Mul(p.Z, p.Z));
        var h = Reduce(a + b);
        var xy = Reduce(p.X + p.Y);
        var e = Sub(h, Mul(xy, xy));
        var g = Sub(a, b);
        var f = Reduce(c + g);
        return new Point(Mul(e, f), Mul(g, h), Mul(f, g), Mul(e, h));
    }

    // [s]P + [t]Q in one pass over the bits (Shamir's trick).
    private static Point DoubleScalarMultiply(BigInteger s, Point p, BigInteger t, Point q)
    {
        var both = Add(p, q);
        var result = new Point(0, 1, 1, 0);
        for (var bit = (int)Math.Max(s.GetBitLength(), t.GetBitLength()) - 1; bit >= 0; bit--)
        {
            result = Double(result);
            var (sb, tb) = (!(s >> bit).IsEven, !(t >> bit).IsEven);
            if (sb && tb)
            {
                result = Add(result, both);
            }
            else if (sb)
            {
                result = Add(result, p);
            }
            else if (tb)
            {
                result = Add(result, q);
            }
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
