using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentLedger.Api.Commands;
using IncidentLedger.Api.Log;
using IncidentLedger.Api.Operations;
using IncidentLedger.Auth;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>/healthz/live, /healthz/ready and /metrics against a real ledger, and the development tokens announced at start-up.</summary>
public sealed class OperationsEndpointTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> OwnerSqlAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(await Testing.TestPostgres.GetConnectionStringAsync());
        await using var command = source.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync()
    {
        using var response = await client.GetAsync("/healthz/ready", Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    [Fact]
    public async Task Live_answers_without_the_database()
    {
        using var response = await client.GetAsync("/healthz/live", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("live", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_means_migrated_with_a_known_seal_lag_and_no_projection_stopped()
    {
        var (status, body) = await ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("migrated").GetBoolean());
        Assert.True(body.GetProperty("sealLagKnown").GetBoolean());
        Assert.Equal(0, body.GetProperty("stoppedProjections").GetArrayLength());
        Assert.True(body.GetProperty("lag").GetProperty("unsealed").GetInt64() >= 0);
    }

    [Fact]
    public async Task A_stopped_projection_makes_the_node_not_ready_and_says_which()
    {
        await ReadyAsync();
        // What the register projection records when it stops at an event it cannot apply (see ProjectionFault).
        await OwnerSqlAsync($$"""
            INSERT INTO "{{factory.Schema}}".mt_doc_projectionfault (id, data, mt_dotnet_type, mt_last_modified, mt_version)
            VALUES ('register', '{"id": "register", "sequence": 7, "error": "cannot apply IncidentReported", "firstSeenAt": "2026-01-01T00:00:00Z", "lastSeenAt": "2026-01-01T00:00:00Z"}',
                    'IncidentLedger.EventStore.Projections.ProjectionFault', now(), gen_random_uuid())
            """);
        try
        {
            var (status, body) = await ReadyAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("not ready", body.GetProperty("status").GetString());
            Assert.Equal(["register:All"], body.GetProperty("stoppedProjections").EnumerateArray().Select(p => p.GetString()));
            Assert.Contains(body.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("register:All stopped at event 7: cannot apply IncidentReported"));

            using var metrics = await client.GetAsync("/metrics", Ct);
            var lines = (await metrics.Content.ReadAsStringAsync(Ct)).Split('\n');
            Assert.Contains(lines, l => Sample(l, "ledger_projection_stopped", "ledger_projection=\"register:All\"") == "1");
            Assert.Contains(lines, l => Sample(l, "ledger_ready") == "0");
        }
        finally
        {
            await OwnerSqlAsync($"DELETE FROM \"{factory.Schema}\".mt_doc_projectionfault WHERE id = 'register'");
        }

        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync()).Status);
    }

    [Fact]
    public void A_sealer_that_leaves_events_waiting_a_minute_makes_the_node_not_ready()
    {
        var keepingUp = new LedgerHealth(new SealStatus(10, 3, 2, 0, null), [], new MessageDepth(0, 0, 0));
        Assert.True(LedgerReadiness.Of(keepingUp).Ready);

        var stuck = LedgerReadiness.Of(keepingUp with { Log = new SealStatus(10, 3, 75, 0, null) });
        Assert.False(stuck.Ready);
        Assert.Contains(stuck.Problems, p => p.StartsWith("the sealer is stuck: 3 committed events wait for a position, the oldest for 75 s", StringComparison.Ordinal));
        Assert.Empty(stuck.StoppedProjections);
    }

    [Fact]
    public async Task A_schema_that_is_not_migrated_is_not_ready()
    {
        await ReadyAsync();
        await OwnerSqlAsync($"ALTER TABLE \"{factory.Schema}\".ledger_seal_state RENAME TO ledger_seal_state_moved");
        try
        {
            var (status, body) = await ReadyAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.False(body.GetProperty("migrated").GetBoolean());
            Assert.Contains("not migrated", body.GetProperty("problems")[0].GetString());
        }
        finally
        {
            await OwnerSqlAsync($"ALTER TABLE \"{factory.Schema}\".ledger_seal_state_moved RENAME TO ledger_seal_state");
        }
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_graphql_latency_and_the_ledgers_lag()
    {
        using (await client.PostAsJsonAsync("/graphql", new { query = "query Keys { verifierKeys }" }, Ct))
        {
        }

        await ReadyAsync();
        using var response = await client.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType!.ToString());
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n');

        Assert.Contains("# TYPE graphql_server_request_duration_seconds histogram", lines);
        Assert.Contains(lines, l => l.StartsWith("graphql_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("graphql_operation_type=\"query\"") && l.Contains("http_response_status_code=\"200\"") && !l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("graphql_server_request_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"+Inf\""));
        Assert.Contains("# TYPE ledger_seal_lag_events gauge", lines);
        Assert.Contains(lines, l => Sample(l, "ledger_seal_lag_seconds") is not null);
        Assert.Contains(lines, l => Sample(l, "ledger_messages_outgoing") is not null);
        Assert.Contains(lines, l => Sample(l, "ledger_ready") == "1");
        // Only this host's gauges, though other test hosts in this process have meters of the same name.
        Assert.Single(lines, l => Sample(l, "ledger_ready") is not null);
        Assert.Contains(lines, l => Sample(l, "target_info", "service_name=\"incident-ledger\"") == "1");
        Assert.Contains(lines, l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal));
        // No connection strings (Npgsql's pool names) in a page anyone may scrape.
        Assert.DoesNotContain(lines, l => l.Contains("Host=", StringComparison.Ordinal));
        // Every sample line is "name{labels} value [timestamp]" with a number.
        Assert.All(lines.Where(l => l.Length > 0 && !l.StartsWith('#')), l => Assert.Matches(@"^[a-zA-Z_][a-zA-Z0-9_]*(\{.*\})? (-?[0-9.eE+-]+|\+Inf|NaN)( -?[0-9]+)?$", l));
    }

    [Fact]
    public async Task Committed_appends_are_counted_and_timed_per_stream_type_and_a_repeat_is_not()
    {
        async Task<WriteOutcome> InvokeAsync(object command, CommandContext? context = null)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<WriteOutcome>(LedgerCommand.For(command, context), Ct);
        }

        async Task<(double Events, double Appends)> AppendedAsync()
        {
            var lines = (await client.GetStringAsync("/metrics", Ct)).Split('\n');
            var label = "ledger_stream_type=\"organisation\"";
            return (
                lines.Select(l => Sample(l, "ledger_events_appended_total", label)).Where(v => v is not null).Sum(v => double.Parse(v!, CultureInfo.InvariantCulture)),
                lines.Select(l => Sample(l, "ledger_append_duration_seconds_count", label)).Where(v => v is not null).Sum(v => double.Parse(v!, CultureInfo.InvariantCulture)));
        }

        var before = await AppendedAsync();
        var organisation = Guid.NewGuid();
        await InvokeAsync(Organisations.Register(organisation));
        var rename = Organisations.Rename(organisation, "Counted Ltd");
        var context = new CommandContext { IdempotencyKey = $"metrics/{organisation}" };
        await InvokeAsync(rename, context);
        Assert.True((await InvokeAsync(rename, context)).AlreadyApplied);

        Assert.Equal((before.Events + 2, before.Appends + 2), await AppendedAsync());
    }

    [Fact]
    public async Task A_development_start_logs_one_token_per_role_that_the_host_accepts()
    {
        var captured = new ConcurrentQueue<string>();
        await using var host = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(new CapturingProvider(captured))));
        using var capturedClient = host.CreateClient();
        var tokens = new Dictionary<string, string>();
        foreach (var line in captured)
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"^token for (\w+) \(.*\): (\S+)$");
            if (match.Success)
            {
                tokens[match.Groups[1].Value] = match.Groups[2].Value;
            }
        }

        Assert.Equal(LedgerClaims.RoleCodes.Order(), tokens.Keys.Order());
        foreach (var (role, token) in tokens)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/whoami");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await capturedClient.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(role, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("role").GetString());
        }
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_configured_traces_of_graphql_requests_are_exported()
    {
        var paths = new ConcurrentQueue<string>();
        using var collector = new Testing.LoopbackHttpServer("/", context =>
        {
            paths.Enqueue(context.Request.Url!.AbsolutePath);
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        await using (var host = factory.WithWebHostBuilder(b => b
            .UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Url.ToString().TrimEnd('/'))
            .UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100")
            .UseSetting("OTEL_METRIC_EXPORT_INTERVAL", "200")))
        {
            using var otlpClient = host.CreateClient();
            using (await otlpClient.PostAsJsonAsync("/graphql", new { query = "{ verifierKeys }" }, Ct))
            {
            }

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!(paths.Contains("/v1/traces") && paths.Contains("/v1/metrics")) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.Contains("/v1/traces", paths);
        Assert.Contains("/v1/metrics", paths);
    }

    /// <summary>The value of a sample line of <paramref name="metric"/> whose labels include <paramref name="label"/>, else null.</summary>
    private static string? Sample(string line, string metric, string? label = null)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$");
        return match.Success && match.Groups["name"].Value == metric && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            ? match.Groups["value"].Value
            : null;
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}
