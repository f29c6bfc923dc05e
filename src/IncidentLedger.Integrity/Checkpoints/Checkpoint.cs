using System.Globalization;
using System.Text;

namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>A C2SP tlog-checkpoint body: the log's origin, its size, and the RFC 9162 root at that size.</summary>
public sealed record Checkpoint(string Origin, long Size, Hash Root)
{
    /// <summary>The note text: three lines, each ending in a newline.</summary>
    public string ToNoteText() => string.Create(CultureInfo.InvariantCulture, $"{Origin}\n{Size}\n{Convert.ToBase64String(Root.Bytes)}\n");

    /// <summary>Parses a checkpoint body; extension lines are refused, since this log never writes them.</summary>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new FormatException("A checkpoint body ends with a newline.");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length != 3)
        {
            throw new FormatException($"A checkpoint body has three lines (origin, size, root); this one has {lines.Length}.");
        }

        if (lines[0].Length == 0 || lines[0].Any(c => char.IsWhiteSpace(c) || c == '+'))
        {
            throw new FormatException("A checkpoint's origin is non-empty, with no spaces or '+'.");
        }

        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
        {
            throw new FormatException($"\"{lines[1]}\" is not a tree size (a decimal number without leading zeros).");
        }

        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new FormatException($"\"{lines[2]}\" is not a base64 root hash.");
        }

        if (root.Length != Hash.Size)
        {
            throw new FormatException($"The root hash is {root.Length} bytes; SHA-256 roots are {Hash.Size}.");
        }

        return new Checkpoint(lines[0], size, Hash.FromBytes(root));
    }

    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(ToNoteText());
}
