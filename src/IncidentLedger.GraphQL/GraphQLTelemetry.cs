using System.Diagnostics;

namespace IncidentLedger.GraphQL;

/// <summary>
/// OpenTelemetry-compatible activities — listen with an ActivityListener or the OpenTelemetry SDK's
/// <c>AddSource(GraphQLTelemetry.SourceName)</c>. The server starts <c>graphql.request</c> (tags
/// <c>graphql.operation.name</c>, <c>graphql.operation.type</c>, <c>graphql.error.codes</c>); the engine adds
/// <c>graphql.parse</c> and <c>graphql.validate</c> when a document is not in the cache (a cache hit tags the
/// current activity <c>graphql.document.cached</c>), and <c>graphql.execute</c> around execution.
/// </summary>
public static class GraphQLTelemetry
{
    public const string SourceName = "IncidentLedger.GraphQL";

    public static ActivitySource Source { get; } = new(SourceName);
}
