using System.Diagnostics.Metrics;
using IncidentLedger.Api.Log;
using IncidentLedger.EventStore;

namespace IncidentLedger.Api.Operations;

/// <summary>
/// The ledger's own meters (meter "IncidentLedger"): seal lag, projection lag, message store depth and readiness as gauges read from the
/// latest <see cref="LedgerReadiness"/>, and append latency and counts, which the command handlers record through <see cref="RecordAppend"/> once a write commits.
/// Exported to OpenTelemetry and rendered at /metrics.
/// </summary>
public sealed class LedgerMetrics : IDisposable
{
    public const string MeterName = "IncidentLedger";

    private readonly Meter meter;
    private readonly Histogram<double> appendDuration;
    private readonly Counter<long> appendedEvents;
    private volatile LedgerReadiness? latest;

    public LedgerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meter = meters.Create(MeterName);
        meter.CreateObservableGauge("ledger.seal.lag.events", () => Health is { } h ? [new Measurement<long>(h.Log.Unsealed)] : Array.Empty<Measurement<long>>(),
            "{event}", "Events committed but not yet sealed into the Merkle log.");
        meter.CreateObservableGauge("ledger.seal.lag", () => Health is { } h ? [new Measurement<double>(h.Log.OldestUnsealedSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest event not yet sealed.");
        meter.CreateObservableGauge("ledger.log.size", () => Health is { } h ? [new Measurement<long>(h.Log.Size)] : Array.Empty<Measurement<long>>(),
            "{event}", "Events sealed into the Merkle log.");
        meter.CreateObservableGauge("ledger.projection.lag.events", () => Health?.Projections.Select(p => new Measurement<long>(p.LagEvents, Tag(p))) ?? [],
            "{event}", "Events a projection (or subscription shard) has not applied yet.");
        meter.CreateObservableGauge("ledger.projection.stopped", () => Health?.Projections.Select(p => new Measurement<int>(p.Error is null ? 0 : 1, Tag(p))) ?? [],
            "{projection}", "1 while a projection is stopped on an event it cannot apply.");
        meter.CreateObservableGauge("ledger.messages.outgoing", () => Health is { } h ? [new Measurement<long>(h.Messages.Outgoing)] : Array.Empty<Measurement<long>>(),
            "{message}", "Messages in Wolverine's outbox waiting to go out (webhook deliveries among them).");
        meter.CreateObservableGauge("ledger.messages.incoming", () => Health is { } h ? [new Measurement<long>(h.Messages.Incoming)] : Array.Empty<Measurement<long>>(),
            "{message}", "Messages waiting to run, scheduled ones (deadline checks, retries) included.");
        meter.CreateObservableGauge("ledger.messages.dead", () => Health is { } h ? [new Measurement<long>(h.Messages.Dead)] : Array.Empty<Measurement<long>>(),
            "{message}", "Messages given up on (dead-lettered).");
        meter.CreateObservableGauge("ledger.ready", () => latest is { } r ? [new Measurement<int>(r.Ready ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            null, "1 while this node is ready (migrated, the sealer keeping up, no projection stopped).");
        appendDuration = meter.CreateHistogram<double>("ledger.append.duration", "s", "Time from loading a stream for a command to the commit of the events it appended.", tags: null, advice: IncidentLedger.GraphQL.GraphQLTelemetry.SecondsBuckets);
        appendedEvents = meter.CreateCounter<long>("ledger.events.appended", "{event}", "Events appended and committed.");
    }

    /// <summary>The latest reading the gauges report.</summary>
    public LedgerReadiness? Latest => latest;

    private LedgerHealth? Health => latest?.Health;

    /// <summary>Makes <paramref name="reading"/> the one the gauges report.</summary>
    public void Observe(LedgerReadiness reading) => latest = reading;

    /// <summary>Records one committed append of <paramref name="events"/> events to a stream of <paramref name="streamType"/>.</summary>
    public void RecordAppend(TimeSpan duration, int events, string streamType)
    {
        var tag = new KeyValuePair<string, object?>("ledger.stream.type", streamType);
        appendDuration.Record(duration.TotalSeconds, tag);
        appendedEvents.Add(events, tag);
    }

    private static KeyValuePair<string, object?> Tag(ProjectionProgress projection) => new("ledger.projection", projection.Name);

    public void Dispose() => meter.Dispose();
}

/// <summary>Reads readiness every few seconds so the lag gauges stay current between scrapes without querying on each one.</summary>
internal sealed class LedgerMetricsSampler(ILedgerReadiness readiness, LedgerMetrics metrics, TimeSpan interval, ILogger<LedgerMetricsSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    metrics.Observe(await readiness.CheckAsync(stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Reading the ledger's lag for the metrics failed; trying again in {Interval}.", interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Stopping (or a start that failed): nothing to report.
        }
    }
}
