using System.Text.RegularExpressions;

namespace IncidentLedger.EventStore.Streams;

/// <summary>Identifies a stream: its type ("incident", "policy" …) and its id.</summary>
public readonly partial record struct StreamKey(string Type, Guid Id)
{
    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex TypeName();

    /// <summary>Throws <see cref="InvalidEventException"/> for an empty id or a malformed type name.</summary>
    public void Validate()
    {
        if (Id == Guid.Empty)
        {
            throw new InvalidEventException("The stream id is the empty GUID; every stream needs a real identifier.");
        }

        if (Type is null || !TypeName().IsMatch(Type))
        {
            throw new InvalidEventException($"\"{Type}\" is not a valid stream type: use lower-case letters, digits and hyphens, starting with a letter (e.g. \"ai-system\").");
        }
    }

    public override string ToString() => $"{Type}-{Id:D}";
}
