using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentLedger.Api.Operations;

/// <summary>
/// The meters /metrics renders, collected by a MeterProvider of their own and rendered by OpenTelemetry's Prometheus exporter. Kept
/// apart from the OTLP pipeline so that Npgsql's meters, whose pool-name label is the connection string, never reach a page anyone may
/// scrape; and limited to this host's meters (and process-wide ones such as the GraphQL server's), so two hosts in one process do not
/// report each other's gauges.
/// </summary>
public sealed class PrometheusScrape : IDisposable
{
    public PrometheusScrape(IMeterFactory meterFactory, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .AddMeter([.. LedgerOperations.Meters])
            .AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, meterFactory) ? null : MetricStreamConfiguration.Drop)
            // The gauges read the sampler's latest reading, so a scrape is cheap; a cached page would show a reading behind /healthz/ready.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build();
    }

    public MeterProvider Provider { get; }

    public void Dispose() => Provider.Dispose();
}
