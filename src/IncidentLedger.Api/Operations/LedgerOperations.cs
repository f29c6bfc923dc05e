using IncidentLedger.Api.Auth;
using IncidentLedger.GraphQL;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IncidentLedger.Api.Operations;

/// <summary>The "Ledger:Telemetry" configuration section.</summary>
public sealed record LedgerTelemetryOptions
{
    public const string Section = "Ledger:Telemetry";

    /// <summary>The service name traces and metrics carry.</summary>
    public string ServiceName { get; init; } = "incident-ledger";

    /// <summary>How often the lag gauges are read from the database.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Health probes, metrics, traces and logs for whoever runs the ledger.</summary>
public static class LedgerOperations
{
    /// <summary>The meters /metrics renders: the ledger's, the GraphQL server's and ASP.NET Core's request durations.</summary>
    /// <remarks>Npgsql's meters go to OTLP only: their pool-name label is the connection string.</remarks>
    public static IReadOnlyList<string> Meters { get; } = [LedgerMetrics.MeterName, GraphQLTelemetry.MeterName, "Microsoft.AspNetCore.Hosting"];

    /// <summary>
    /// Readiness, the ledger's meters, OpenTelemetry traces and metrics (exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set) and
    /// logs: JSON lines on the console unless Logging:Console:FormatterName says otherwise or this is a development start, where a person reads them.
    /// </summary>
    public static WebApplicationBuilder AddLedgerTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(LedgerTelemetryOptions.Section).Get<LedgerTelemetryOptions>() ?? new LedgerTelemetryOptions();
        var services = builder.Services;
        services.AddSingleton<ILedgerReadiness, LedgerHealthReadiness>();
        services.AddSingleton<LedgerMetrics>();
        services.AddHostedService(sp => new LedgerMetricsSampler(
            sp.GetRequiredService<ILedgerReadiness>(), sp.GetRequiredService<LedgerMetrics>(), options.SampleInterval, sp.GetRequiredService<ILogger<LedgerMetricsSampler>>()));

        if (!LedgerAuthentication.IsDevelopmentStart(builder.Configuration, builder.Environment))
        {
            services.Configure<ConsoleLoggerOptions>(console => console.FormatterName ??= ConsoleFormatterNames.Json);
            services.Configure<JsonConsoleFormatterOptions>(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat ??= "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.IncludeScopes = true;
            });
        }

        services.AddSingleton(sp => new PrometheusScrape(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), options.ServiceName));
        if (OtlpEndpoint(builder.Configuration) is not null)
        {
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(options.ServiceName))
                .WithTracing(tracing => tracing
                    .AddSource(GraphQLTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsql())
                .WithMetrics(metrics => metrics
                    .AddMeter([.. Meters, "Npgsql"])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Where OTLP goes (OTEL_EXPORTER_OTLP_ENDPOINT, the OpenTelemetry SDK's own setting), or null when nothing is configured.</summary>
    public static string? OtlpEndpoint(IConfiguration configuration) =>
        configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } endpoint ? endpoint : null;

    /// <summary>
    /// GET /healthz/live (the process answers), GET /healthz/ready (200 when migrated, the seal lag is known, the sealer keeps up and
    /// no projection has stopped, else 503 saying why) and GET /metrics (Prometheus text format, by OpenTelemetry's exporter).
    /// </summary>
    public static IEndpointRouteBuilder MapLedgerOperations(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz/live", () => Results.Json(new { status = "live" }));
        app.MapGet("/healthz/ready", async (ILedgerReadiness readiness, LedgerMetrics metrics, CancellationToken ct) =>
        {
            var reading = await readiness.CheckAsync(ct);
            metrics.Observe(reading);
            return Results.Json(new
            {
                status = reading.Ready ? "ready" : "not ready",
                migrated = reading.Migrated,
                sealLagKnown = reading.SealLagKnown,
                stoppedProjections = reading.StoppedProjections,
                problems = reading.Problems,
                lag = reading.Health is { } health
                    ? new
                    {
                        unsealed = health.Log.Unsealed,
                        oldestUnsealedSeconds = health.Log.OldestUnsealedSeconds,
                        projections = health.Projections.Select(p => new { p.Name, p.Sequence, p.LagEvents, p.Status, p.Error, p.StoppedAt }),
                        messages = new { outgoing = health.Messages.Outgoing, incoming = health.Messages.Incoming, dead = health.Messages.Dead },
                    }
                    : null,
            }, statusCode: reading.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        // Resolved now, not at the first scrape, so that the meters are collected from the start.
        var scrape = app.ServiceProvider.GetRequiredService<PrometheusScrape>();
        app.MapPrometheusScrapingEndpoint("/metrics", scrape.Provider, configureBranchedPipeline: null, optionsName: null);
        return app;
    }
}
