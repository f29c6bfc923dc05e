using System.Diagnostics;

namespace IncidentLedger.GraphQL.Server;

/// <summary>
/// OpenTelemetry-compatible activities for each request (graphql.request, with graphql.operation.name,
/// graphql.operation.type and graphql.error.codes) — listen with an ActivityListener or the OpenTelemetry SDK.
/// </summary>
public static class GraphQLTelemetry
{
    public const string SourceName = "IncidentLedger.GraphQL";

    public static ActivitySource Source { get; } = new(SourceName);
}
