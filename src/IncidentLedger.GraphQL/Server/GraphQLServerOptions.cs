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

    /// <summary>When set, __schema and __type answer only callers whose identity is authenticated.</summary>
    public bool IntrospectionForAuthenticatedOnly { get; init; }

    /// <summary>
    /// Resuming subscriptions: a client's Last-Event-ID (SSE) is passed to the operation as this
    /// variable, so a subscription that declares it (e.g. <c>subscription($after: Long) { … (after: $after) }</c>)
    /// starts after the last event the client saw. WebSocket clients pass the same variable themselves.
    /// </summary>
    public string? ResumeVariable { get; init; }

    /// <summary>The id of a subscription event (sent as the SSE id, which a reconnecting client returns as Last-Event-ID).</summary>
    public Func<ExecutionResult, string?>? EventId { get; init; }

    /// <summary>How long a WebSocket client has to send connection_init before it is closed (4408).</summary>
    public TimeSpan ConnectionInitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many operations one WebSocket may run at once; a subscribe beyond it gets an error message.</summary>
    public int MaxOperationsPerSocket { get; init; } = 100;

    /// <summary>How long one WebSocket message may take to send before the connection is dropped (a client that stopped reading).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Runs on connection_init with its payload; false closes the socket as forbidden (4403).</summary>
    public Func<HttpContext, System.Text.Json.JsonElement?, ValueTask<bool>>? OnConnect { get; init; }

    /// <summary>Per-caller request budget; null for none. Callers are told when to come back (429, Retry-After).</summary>
    public GraphQLRateLimit? RateLimit { get; init; }

    /// <summary>The browser IDE served to a browser that opens the endpoint; null to serve none.</summary>
    public GraphiQLOptions? Ide { get; init; } = new();
}

/// <summary>A token bucket per caller (the authenticated name, else the remote address).</summary>
public sealed record GraphQLRateLimit(int RequestsPerWindow, TimeSpan Window, int Burst);
