using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IncidentLedger.GraphQL;

/// <summary>
/// OpenTelemetry-compatible activities — listen with an ActivityListener or the OpenTelemetry SDK's
/// <c>AddSource(GraphQLTelemetry.SourceName)</c>. The server starts <c>graphql.request</c> (tags
/// <c>graphql.operation.name</c>, <c>graphql.operation.type</c>, <c>graphql.error.codes</c>); the engine adds
/// <c>graphql.parse</c> and <c>graphql.validate</c> when a document is not in the cache (a cache hit tags the
/// current activity <c>graphql.document.cached</c>), and <c>graphql.execute</c> around execution.
/// The meter <see cref="MeterName"/> has <c>graphql.server.request.duration</c>: one measurement per request (its count is the
/// request rate), tagged with the operation type, the HTTP status and whether the response carried errors.
/// </summary>
public static class GraphQLTelemetry
{
    public const string SourceName = "IncidentLedger.GraphQL";

    public static ActivitySource Source { get; } = new(SourceName);

    public const string MeterName = "IncidentLedger.GraphQL";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Bucket bounds for a histogram in seconds, 1 ms to 10 s (OpenTelemetry's default bounds suit milliseconds).</summary>
    public static InstrumentAdvice<double> SecondsBuckets { get; } = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    /// <summary>How long requests take, from arrival to the end of the response (a subscription's stream included).</summary>
    public static Histogram<double> RequestDuration { get; } = Meter.CreateHistogram<double>(
        "graphql.server.request.duration", "s", "Duration of GraphQL requests over HTTP, SSE and WebSocket upgrades.", tags: null, advice: SecondsBuckets);
}
