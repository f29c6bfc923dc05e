namespace IncidentLedger.EventStore.Streams;

/// <summary>What the writer believes about the stream before appending (KurrentDB's expectations).</summary>
public readonly record struct ExpectedVersion
{
    private enum Kind { Any, NoStream, StreamExists, Exact }

    private readonly Kind kind;

    private ExpectedVersion(Kind kind, long value)
    {
        this.kind = kind;
        Value = value;
    }

    /// <summary>The exact version for <see cref="Exactly"/>; otherwise 0.</summary>
    public long Value { get; }

    /// <summary>Append whatever the stream's state.</summary>
    public static ExpectedVersion Any { get; } = new(Kind.Any, 0);

    /// <summary>The stream must not exist yet.</summary>
    public static ExpectedVersion NoStream { get; } = new(Kind.NoStream, 0);

    /// <summary>The stream must exist, at any version.</summary>
    public static ExpectedVersion StreamExists { get; } = new(Kind.StreamExists, 0);

    /// <summary>The stream's last version must be exactly <paramref name="version"/> (0 means: no stream yet).</summary>
    public static ExpectedVersion Exactly(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return version == 0 ? NoStream : new(Kind.Exact, version);
    }

    /// <summary>Whether a stream currently at <paramref name="current"/> (0 = absent) satisfies this expectation.</summary>
    public bool IsSatisfiedBy(long current) => kind switch
    {
        Kind.Any => true,
        Kind.NoStream => current == 0,
        Kind.StreamExists => current > 0,
        _ => current == Value,
    };

    public override string ToString() => kind switch
    {
        Kind.Any => "any",
        Kind.NoStream => "no stream",
        Kind.StreamExists => "stream exists",
        _ => $"version {Value}",
    };
}
