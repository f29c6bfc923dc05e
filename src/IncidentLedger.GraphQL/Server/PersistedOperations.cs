using System.Collections.Concurrent;
using IncidentLedger.GraphQL.Execution;

namespace IncidentLedger.GraphQL.Server;

/// <summary>
/// Operations registered ahead of time and called by id: the SHA-256 (hex) of their text, as in
/// Apollo's persistedQuery extension ({"extensions":{"persistedQuery":{"version":1,"sha256Hash":…}}})
/// or a plain "id" request parameter.
/// </summary>
public sealed class PersistedOperations
{
    private readonly ConcurrentDictionary<string, string> byHash = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers a document; returns its id.</summary>
    public string Register(string document)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(document);
        var hash = DocumentCache.Hash(document);
        byHash[hash] = document;
        return hash;
    }

    /// <summary>Registers every *.graphql file of a folder (one operation document per file).</summary>
    public IReadOnlyList<string> RegisterFolder(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.graphql", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => Register(File.ReadAllText(f)))];

    public bool TryGet(string id, out string document) => byHash.TryGetValue(id, out document!);

    public int Count => byHash.Count;
}
