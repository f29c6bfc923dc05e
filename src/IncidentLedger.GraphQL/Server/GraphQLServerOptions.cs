using IncidentLedger.GraphQL.Execution;
using Microsoft.AspNetCore.Http;

namespace IncidentLedger.GraphQL.Server;

/// <summary>How a GraphQL endpoint serves one schema over HTTP.</summary>
public sealed record GraphQLServerOptions
{
    /// <summary>The largest request body accepted (bytes); larger ones get 413 with a GraphQL error.</summary>
    public long MaxRequestBytes { get; init; } = 1024 * 1024;

    /// <summary>Execution limits for a request; by default the same for every caller.</summary>
    public Func<HttpContext, ExecutionOptions> Execution { get; init; } = _ => ExecutionOptions.Default;

    /// <summary>Operations registered ahead of time, callable by their SHA-256 id.</summary>
    public PersistedOperations? PersistedOperations { get; init; }

    /// <summary>When set, only persisted operations run: a request with a document of its own is refused.</summary>
    public bool PersistedOperationsOnly { get; init; }
}
