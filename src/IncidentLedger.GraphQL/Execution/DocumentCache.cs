using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;
using IncidentLedger.GraphQL.Validation;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>A parsed document and the outcome of validating it: either a document or the request errors.</summary>
public sealed record CachedDocument(string Hash, DocumentNode? Document, IReadOnlyList<GraphQLError> Errors)
{
    /// <summary>The schema the document was validated against.</summary>
    public Schema? Schema { get; init; }

    /// <summary>The parser limits it was parsed under: a caller with other limits gets its own parse.</summary>
    public ParserOptions? ParserOptions { get; init; }
}

/// <summary>
/// Parsed and validated documents keyed by the SHA-256 of their text, so a repeated operation skips parsing and
/// validation. Bounded: when full, the oldest entries are dropped.
/// </summary>
public sealed class DocumentCache(int capacity = 1000)
{
    private readonly ConcurrentDictionary<string, CachedDocument> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public int Capacity { get; } = capacity;

    public int Count => _entries.Count;

    /// <summary>Number of lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    private long _hits;

    /// <summary>The SHA-256 of a document's UTF-8 text, as lower-case hex (also the persisted-operation id).</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public bool TryGet(string hash, out CachedDocument? entry) => _entries.TryGetValue(hash, out entry);

    /// <summary>Returns the cached outcome for this text, parsing and validating it on a miss.</summary>
    public CachedDocument GetOrAdd(string text, ParserOptions parserOptions, Schema schema)
    {
        // A document over the length limit is rejected before it is hashed.
        if (text.Length > parserOptions.MaxDocumentLength)
        {
            return Compile(text, "", parserOptions, schema);
        }

        var hash = Hash(text);
        if (_entries.TryGetValue(hash, out var cached) && ReferenceEquals(cached.Schema, schema) && Equals(cached.ParserOptions, parserOptions))
        {
            Interlocked.Increment(ref _hits);
            System.Diagnostics.Activity.Current?.SetTag("graphql.document.cached", true);
            return cached;
        }

        // A cache shared by executors of different schemas, or by callers with different parser limits, keeps the latest outcome.
        var entry = Compile(text, hash, parserOptions, schema);
        if (cached is not null)
        {
            _entries[hash] = entry;
        }
        else if (_entries.TryAdd(hash, entry))
        {
            _order.Enqueue(hash);
            while (_entries.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _entries.TryRemove(oldest, out _);
            }
        }

        return entry;
    }

    private static CachedDocument Compile(string text, string hash, ParserOptions parserOptions, Schema schema)
    {
        DocumentNode document;
        using (var parsing = GraphQLTelemetry.Source.StartActivity("graphql.parse"))
        {
            try
            {
                document = Parser.Parse(text, parserOptions);
            }
            catch (GraphQLSyntaxException ex)
            {
                parsing?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Error.Message);
                return new CachedDocument(hash, null, [ex.Error]) { Schema = schema, ParserOptions = parserOptions };
            }
        }

        using var validating = GraphQLTelemetry.Source.StartActivity("graphql.validate");
        var errors = DocumentValidator.Validate(schema, document);
        validating?.SetTag("graphql.validation.errors", errors.Count);
        return new CachedDocument(hash, errors.Count == 0 ? document : null, errors) { Schema = schema, ParserOptions = parserOptions };
    }
}
