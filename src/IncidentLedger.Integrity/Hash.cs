using System.Security.Cryptography;

namespace IncidentLedger.Integrity;

/// <summary>A SHA-256 digest; compared by value, printed as lower-case hex.</summary>
public readonly struct Hash : IEquatable<Hash>
{
    public const int Size = 32;
    private readonly byte[]? bytes;

    private Hash(byte[] bytes) => this.bytes = bytes;

    public ReadOnlySpan<byte> Bytes => bytes ?? new byte[Size];

    public static Hash FromBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length != Size)
        {
            throw new ArgumentException($"A SHA-256 hash is {Size} bytes; got {value.Length}.", nameof(value));
        }

        return new Hash(value.ToArray());
    }

    public static Hash FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Size * 2)
        {
            throw new FormatException($"A SHA-256 hash is {Size * 2} hex digits; got {hex.Length}.");
        }

        return new Hash(Convert.FromHexString(hex));
    }

    public static Hash Sha256(ReadOnlySpan<byte> data) => new(SHA256.HashData(data));

    public byte[] ToArray() => Bytes.ToArray();

    public override string ToString() => Convert.ToHexStringLower(Bytes);

    public bool Equals(Hash other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Hash other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    public static bool operator ==(Hash left, Hash right) => left.Equals(right);

    public static bool operator !=(Hash left, Hash right) => !left.Equals(right);
}
