using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Auth;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Load.Harness;
using Microsoft.Extensions.DependencyInjection;
using Marten;
using Marten.Events.Daemon.Coordination;
using Command = System.CommandLine.Command;

namespace IncidentLedger.Load.Scenarios;

/// <summary>
/// The ledger's API over HTTP on loopback: the real host in this process on Kestrel, driven by an HTTP client.
/// reportIncident mutations at rising open-model rates (latency from each request's intended start), register
/// queries over a large register as a regulator, and <c>{ __typename }</c> next to bare Kestrel answering the same bytes.
/// </summary>
public static class ApiBenchmark
{
    private const string ReportMutation = """
        mutation ($input: ReportIncidentInput!) {
          reportIncident(input: $input) {
            __typename
            ... on IncidentChanged { incidentId version receipts { eventId version } }
            ... on CommandError { code message }
          }
        }
        """;

    private const string RegisterQuery = """
        {
          incidents(filter: { jurisdictions: ["EU"], levels: [SERIOUS_INCIDENT] }, first: 20) {
            totalCount
            edges { node { incidentId title jurisdictions level status sector systemNames providerNames reportedAt } }
          }
        }
        """;

    private static readonly byte[] TypenameQuery = JsonSerializer.SerializeToUtf8Bytes(new { query = "{ __typename }" });

    private static readonly byte[] TypenameAnswer = "{\"data\":{\"__typename\":\"Query\"}}"u8.ToArray();

    public static Command Command()
    {
        var rates = new Option<int[]>("--rates") { Description = "Offered reportIncident rates per second, one run each.", DefaultValueFactory = _ => [250, 500, 1000], AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<int>("--seconds") { Description = "How long each measured run lasts.", DefaultValueFactory = _ => 10 };
        var incidents = new Option<int>("--incidents") { Description = "Incidents in the register for the query run.", DefaultValueFactory = _ => 100_000 };
        var queryRate = new Option<int>("--query-rate") { Description = "Register queries per second.", DefaultValueFactory = _ => 500 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections for { __typename } and its baseline.", DefaultValueFactory = _ => 16 };
        var hostLogs = new Option<string>("--host-log-level") { Description = "The API host's log level (Information logs every GraphQL request, as the shipped appsettings.json does).", DefaultValueFactory = _ => "Warning" };
        var connection = new Option<string?>("--connection") { Description = "An existing PostgreSQL server (superuser); default: a private durable cluster on loopback." };
        var parts = new Option<string[]>("--parts") { Description = "Which parts to run: report, typename, register.", DefaultValueFactory = _ => ["report", "typename", "register"], AllowMultipleArgumentsPerToken = true };
        parts.AcceptOnlyFromAmong("report", "typename", "register");
        var command = new Command("api", "reportIncident, register queries and { __typename } over HTTP against the API host on 127.0.0.1.") { rates, seconds, incidents, queryRate, connections, hostLogs, connection, parts };
        command.SetAction((r, ct) => RunAsync(
            new Settings(r.GetValue(rates)!, Math.Clamp(r.GetValue(seconds), 2, 120), Math.Max(r.GetValue(incidents), 1), Math.Clamp(r.GetValue(queryRate), 1, 5000), Math.Clamp(r.GetValue(connections), 1, 256), r.GetValue(hostLogs)!, [.. r.GetValue(parts)!]),
            r.GetValue(connection), ct));
        return command;
    }

    private sealed record Settings(int[] Rates, int Seconds, int Incidents, int QueryRate, int Connections, string HostLogLevel, HashSet<string> Parts)
    {
        public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);
    }

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private static async Task<int> RunAsync(Settings settings, string? connectionString, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var commandLine = "dotnet run -c Release --project load/IncidentLedger.Load -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        Console.WriteLine($"API benchmark: {commandLine}");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}; host in Production (checked-in Wolverine handler code, logging from {settings.HostLogLevel} up), client and host in one process, 127.0.0.1 only.");
        await using var database = await BenchDatabase.OpenAsync(connectionString);
        await using var api = BenchApi.Start(database, settings.HostLogLevel);
        Console.WriteLine($"API host on {api.BaseAddress}, schema {api.Schema}; started and loaded the demo in {clock.Elapsed.TotalSeconds:0.0} s.");
        await api.CaughtUpAsync(TimeSpan.FromMinutes(2), ct);

        using var http = OpenLoopClient(api.BaseAddress);
        var rows = new List<string[]>();

        if (settings.Parts.Contains("report"))
        {
            await RunReportIncidentAsync(database, api, http, settings, rows, ct);
        }

        if (settings.Parts.Contains("typename"))
        {
            await RunTypenameAsync(api, http, settings, rows, ct);
        }

        if (settings.Parts.Contains("register"))
        {
            await RunRegisterAsync(api, http, settings, rows, ct);
        }

        Console.WriteLine();
        Console.WriteLine($"Summary of `{commandLine}` ({clock.Elapsed.TotalMinutes:0.0} min, load average now {LoadAverage()}):");
        Console.WriteLine();
        Console.WriteLine("| figure | result | goal | met |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine($"| {string.Join(" | ", row)} |");
        }

        return 0;
    }

    /// <summary>
    /// 1. reportIncident at each offered rate, the read models caught up before each run, and just before it the same requests from
    /// the same client at the same rate to the baseline (<see cref="StartPlainAppendAsync"/>), so the machine's speed in this run stands beside the figures.
    /// </summary>
    private static async Task RunReportIncidentAsync(BenchDatabase database, BenchApi api, HttpClient http, Settings settings, List<string[]> rows, CancellationToken ct)
    {
        var reports = new ReportRequests(api);
        var (warmUp, settled) = await WarmUpReportsAsync(reports, http, ct);
        Console.WriteLine();
        Console.WriteLine(Invariant($"Warm-up at {WarmUpRate}/s until the JIT settles (5 s windows, the last compiling for under {JitSettled.TotalMilliseconds:0} ms, at most {WarmUpWindows}; methods compiled / JIT ms per window): {string.Join(" → ", warmUp)}."));
        if (!settled)
        {
            Console.WriteLine(Invariant($"The JIT had not settled after {WarmUpWindows} windows: the figures below include its compiling."));
        }

        var single = await ClosedLoop.RunAsync(1, TimeSpan.FromSeconds(3), _ => async token => { if (!await reports.SendAsync(http, token)) { throw new InvalidOperationException("reportIncident failed"); } }, ct);
        Console.WriteLine();
        Console.WriteLine(Invariant($"reportIncident one at a time (closed loop, 1 client, 3 s): {single.PerSecond:0}/s, p50 {single.Latency.P50Ms:0.0} ms, p99 {single.Latency.P99Ms:0.0} ms, {single.Errors} failed."));

        await using var plain = await PlainMarten.CreateAsync(database, api.Schema + "_plain");
        await using var baseline = await StartPlainAppendAsync(plain);
        using var baselineHttp = OpenLoopClient(baseline.BaseAddress);
        await OpenLoop.MeasureAsync(WarmUpRate, TimeSpan.FromSeconds(5), Grace, (_, token) => reports.SendAsync(baselineHttp, token), ct);
        await plain.LeaveOutOfAutovacuumAsync();

        var runs = new List<(OpenLoopResult Run, double? MsPerRequest)>();
        var baselineRuns = new List<(OpenLoopResult Run, double? MsPerRequest)>();
        var baselineRows = new List<string>();
        Console.WriteLine();
        Console.WriteLine(RunHeader("reportIncident"));
        foreach (var rate in settings.Rates)
        {
            await api.CaughtUpAsync(TimeSpan.FromMinutes(3), ct);
            var (run, row) = await MeasureAsync(rate, reports, baselineHttp, settings, ct);
            baselineRuns.Add(run);
            baselineRows.Add(row);
            (run, row) = await MeasureAsync(rate, reports, http, settings, ct);
            runs.Add(run);
            Console.WriteLine(row);
        }

        reports.PrintFirstFailure();
        Console.WriteLine();
        Console.WriteLine("The baseline just before each run: the same requests from the same client at the same rate to bare Kestrel, which parses each and appends its input as one event to a new stream with plain Marten on the same server (no authentication, GraphQL, domain rules, hash chain, snapshot, read models or sealing), its tables left out of autovacuum so that it leaves no work behind for the ledger's run.");
        Console.WriteLine();
        Console.WriteLine(RunHeader("baseline"));
        baselineRows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("reportIncident ÷ baseline, CPU time a request of this process (client and host) and PostgreSQL: " + string.Join("; ", runs.Zip(baselineRuns).Select(r =>
            Invariant($"{r.First.Run.Rate}/s {r.First.MsPerRequest:0.00} ÷ {r.Second.MsPerRequest:0.00} ms = {r.First.MsPerRequest / r.Second.MsPerRequest:0.0}×"))) + ".");

        var sustained = runs.Where(r => r.Run.KeptUp).Select(r => r.Run.Rate).DefaultIfEmpty(0).Max();
        rows.Add(["reportIncident sustained rate (highest offered rate kept up)", sustained == 0 ? "none of the offered rates" : Invariant($"{sustained}/s (offered: {string.Join(", ", settings.Rates)})"), "≥ 1,000/s", Verdict(sustained >= 1000)]);
        if (runs.Select(r => r.Run).FirstOrDefault(r => r.Rate == 500) is { } at500)
        {
            rows.Add(["reportIncident at 500/s", Invariant($"p50 {at500.Latency.P50Ms:0.0} ms, p99 {at500.Latency.P99Ms:0.0} ms ({at500.Sent} sent, {at500.Failed} failed, {at500.TimedOut} timed out)"), "p99 < 50 ms", Verdict(at500.Latency.P99Ms < 50 && at500.Failed + at500.TimedOut == 0)]);
        }
    }

    private static string RunHeader(string what) =>
        $"| {what} offered/s | started/s | completed/s | drain after last start | p50 ms | p99 ms | p99 of each second, median / worst ms | max ms | p50 first / last quarter ms | failed | timed out | kept up | GC paused (collections gen 0 / 1 / 2) | allocated | heap after | CPU of all cores |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|";

    /// <summary>One open-loop run of reports at <paramref name="rate"/>, with this process's GC and the CPU of this process, PostgreSQL and the machine over it, as a table row.</summary>
    private static async Task<((OpenLoopResult Run, double? MsPerRequest) Run, string Row)> MeasureAsync(int rate, ReportRequests reports, HttpClient http, Settings settings, CancellationToken ct)
    {
        var (gc, cpu) = (GcSnapshot.Take(), CpuSnapshot.Take());
        var run = await OpenLoop.MeasureAsync(rate, settings.Duration, Grace, (_, token) => reports.SendAsync(http, token), ct);
        var (gcAfter, cpuAfter) = (GcSnapshot.Take(), CpuSnapshot.Take());
        var served = run.Sent - run.Failed - run.TimedOut;
        return ((run, cpuAfter.MsPerRequest(cpu, served)), Invariant(
            $"| {rate} | {run.StartedPerSecond:0} | {run.CompletedPerSecond:0} | {run.Drained.TotalMilliseconds:0} ms | {run.Latency.P50Ms:0.0} | {run.Latency.P99Ms:0.0} | {run.SecondP99Spread.Median:0.0} / {run.SecondP99Spread.Worst:0.0} | {run.Latency.MaxMs:0} | {run.FirstQuarterP50Ms:0.0} / {run.LastQuarterP50Ms:0.0} | {run.Failed} | {run.TimedOut} | {(run.KeptUp ? "yes" : "no")} | {gcAfter.Since(gc)} | {cpuAfter.Since(cpu, served)} |"));
    }

    /// <summary>The baseline's answer to every report: what the client looks for in the ledger's answer (<c>__typename</c> IncidentChanged).</summary>
    private static readonly byte[] ReportAnswer = "{\"data\":{\"reportIncident\":{\"__typename\":\"IncidentChanged\"}}}"u8.ToArray();

    /// <summary>
    /// The baseline for a report: bare Kestrel parsing the request and appending its input as one event to a new stream
    /// with plain Marten, then answering as the ledger does.
    /// </summary>
    private static Task<BareEndpoint> StartPlainAppendAsync(PlainMarten plain) => BareEndpoint.StartAsync(async context =>
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var input = request.RootElement.GetProperty("variables").GetProperty("input");
        await using var session = plain.Store.LightweightSession();
        session.Events.StartStream(input.GetProperty("incidentId").GetString()!, new ReportReceived(input.Clone()));
        await session.SaveChangesAsync(context.RequestAborted);
        await BareEndpoint.AnswerAsync(context, ReportAnswer, "application/graphql-response+json");
    });

    /// <summary>The baseline's event: a report's input as it arrived.</summary>
    public sealed record ReportReceived(JsonElement Input);

    /// <summary>2. { __typename } through the host next to bare Kestrel answering the same bytes, alternating twice.</summary>
    private static async Task RunTypenameAsync(BenchApi api, HttpClient http, Settings settings, List<string[]> rows, CancellationToken ct)
    {
        Console.WriteLine();
        await api.CaughtUpAsync(TimeSpan.FromMinutes(3), ct);
        var (answer, contentType) = await TypenameAsync(http);
        if (!answer.AsSpan().SequenceEqual(TypenameAnswer))
        {
            throw new InvalidOperationException($"The API answered {{ __typename }} with {Encoding.UTF8.GetString(answer)}, not {Encoding.UTF8.GetString(TypenameAnswer)}.");
        }

        await using var bare = await BareEndpoint.StartAsync(answer, contentType);
        Console.WriteLine($"{{ __typename }}: {settings.Connections} connections, closed loop, {settings.Seconds} s each, API at {api.BaseAddress} and bare Kestrel at {bare.BaseAddress} answering the same {answer.Length} bytes as {contentType}:");
        Console.WriteLine();
        var apiWarmUp = await WarmUpAsync(api.BaseAddress, settings.Connections, ct);
        var bareWarmUp = await WarmUpAsync(bare.BaseAddress, settings.Connections, ct);
        Console.WriteLine(Invariant($"Warm-up until the rate stops rising (5 s windows, the last within 5 % of the one before, at most 60 s): API {string.Join(" → ", apiWarmUp.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} req/s; bare Kestrel {string.Join(" → ", bareWarmUp.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))} req/s."));
        Console.WriteLine();
        Console.WriteLine("| round | API req/s | p50 / p99 ms | bare Kestrel req/s | p50 / p99 ms | API ÷ bare |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var ratios = new List<double>();
        for (var round = 1; round <= 2; round++)
        {
            var through = await TypenameLoopAsync(api.BaseAddress, settings.Connections, settings.Duration, ct);
            var baseline = await TypenameLoopAsync(bare.BaseAddress, settings.Connections, settings.Duration, ct);
            ratios.Add(through.PerSecond / baseline.PerSecond);
            Console.WriteLine(Invariant($"| {round} | {through.PerSecond:0} | {through.Latency.P50Ms:0.00} / {through.Latency.P99Ms:0.00} | {baseline.PerSecond:0} | {baseline.Latency.P50Ms:0.00} / {baseline.Latency.P99Ms:0.00} | {ratios[^1]:0.00} |"));
            if (through.Errors + baseline.Errors > 0)
            {
                Console.WriteLine($"  ({through.Errors} API and {baseline.Errors} bare requests failed)");
            }
        }

        rows.Add([Invariant($"{{ __typename }} through the API ÷ bare Kestrel, {settings.Connections} connections"), Invariant($"{ratios[0]:0.00} / {ratios[1]:0.00} (two rounds)"), "≥ 0.6×", Verdict(ratios.All(r => r >= 0.6))]);

    }

    /// <summary>3. The register at the given size, filled through the write path, queried once the read models caught up.</summary>
    private static async Task RunRegisterAsync(BenchApi api, HttpClient http, Settings settings, List<string[]> rows, CancellationToken ct)
    {
        Console.WriteLine();
        await api.CaughtUpAsync(TimeSpan.FromMinutes(3), ct);
        var (written, events, fillRate) = await FillRegisterAsync(api, settings.Incidents - (int)await api.RegisterRowsAsync(ct), ct);
        var catchUp = Stopwatch.StartNew();
        await api.CaughtUpAsync(TimeSpan.FromMinutes(10), ct);
        var registerRows = await api.RegisterRowsAsync(ct);
        Console.WriteLine(Invariant($"Register: {written} incidents ({events} events) reported through LedgerWriter in-process at {fillRate:0}/s with the daemon paused; the read models caught up {catchUp.Elapsed.TotalSeconds:0.0} s after it resumed; {registerRows} rows."));
        var regulator = DevelopmentTokens.DevelopmentActors.Single(a => a.Role == ActorRole.Regulator);
        var register = new RegisterRequests(api.Token(regulator));
        await ClosedLoop.RunAsync(1, TimeSpan.FromSeconds(2), _ => token => register.SendAsync(http, token), ct); // warm-up, one at a time: at this size a burst would still be running when the measuring starts
        var singleQuery = await ClosedLoop.RunAsync(1, TimeSpan.FromSeconds(3), _ => async token => { if (!await register.SendAsync(http, token)) { throw new InvalidOperationException("register query failed"); } }, ct);
        Console.WriteLine(Invariant($"Register query one at a time (closed loop, 1 client, 3 s): {singleQuery.PerSecond:0}/s, p50 {singleQuery.Latency.P50Ms:0.0} ms, p99 {singleQuery.Latency.P99Ms:0.0} ms, {singleQuery.Errors} failed."));
        var query = await OpenLoop.MeasureAsync(settings.QueryRate, settings.Duration, Grace, (_, token) => register.SendAsync(http, token), ct);
        Console.WriteLine(Invariant($"Register query as a regulator (EU): totalCount {register.TotalCount}, at {settings.QueryRate}/s offered: started {query.StartedPerSecond:0}/s, drain {query.Drained.TotalMilliseconds:0} ms, p50 first / last quarter {query.FirstQuarterP50Ms:0.0} / {query.LastQuarterP50Ms:0.0} ms, p50 {query.Latency.P50Ms:0.0} ms, p99 {query.Latency.P99Ms:0.0} ms, max {query.Latency.MaxMs:0} ms, {query.Failed} failed, {query.TimedOut} timed out."));
        register.PrintFirstFailure();
        rows.Add([Invariant($"register page of 20 over {registerRows} incidents ({register.TotalCount} match) at {settings.QueryRate}/s"),
            Invariant($"p50 {query.Latency.P50Ms:0.0} ms, p99 {query.Latency.P99Ms:0.0} ms ({query.Sent} sent, {query.Failed} failed, {query.TimedOut} timed out{(query.KeptUp ? "" : ", fell behind")})"),
            "p99 < 50 ms", Verdict(query.Latency.P99Ms < 50 && query.Failed + query.TimedOut == 0)]);
    }

    private static string Verdict(bool met) => met ? "yes" : "**no**";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>GraphQL requests whose answers are checked, keeping the first wrong answer to print after the run.</summary>
    private abstract class CheckedRequests(string what)
    {
        private string? firstFailure;

        /// <summary>Sends <paramref name="body"/>; true when <paramref name="isRight"/> holds for the answer's JSON.</summary>
        protected async Task<bool> SendAsync(HttpClient http, byte[] body, string token, Func<JsonElement, bool> isRight, CancellationToken cancellationToken)
        {
            using var request = GraphQLRequest(body, token);
            using var response = await http.SendAsync(request, cancellationToken);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            if (isRight(answer.RootElement))
            {
                return true;
            }

            Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode} {answer.RootElement}", null);
            return false;
        }

        public void PrintFirstFailure()
        {
            if (firstFailure is not null)
            {
                Console.WriteLine($"First failed {what}: {firstFailure[..Math.Min(firstFailure.Length, 2000)]}");
            }
        }
    }

    /// <summary>
    /// reportIncident requests: the demo's first operator report with a new incident id and title and recent
    /// dates, serialised as the schema's input (enum values in upper snake case, without the actor and time,
    /// which come from the token and the clock), under a token for the demo's reporting operator.
    /// </summary>
    private sealed class ReportRequests : CheckedRequests
    {
        private readonly JsonObject template;
        private readonly string token;

        public ReportRequests(BenchApi api)
            : base("reportIncident")
        {
            var report = DemoDataSet.Build(DateTimeOffset.UtcNow.AddDays(-200)).Steps.Select(s => s.Command).OfType<ReportIncident>().First(r => r.Actor.Role == ActorRole.Operator);
            template = CommandInput.ToInput(report);
            token = api.Token(report.Actor);
        }

        public Task<bool> SendAsync(HttpClient http, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var input = template.DeepClone().AsObject();
            var id = Guid.NewGuid();
            input["incidentId"] = id;
            input["title"] = $"{template["title"]} ({id:N})";
            input["occurredAt"] = now.AddHours(-2);
            input["becameAwareAt"] = now.AddHours(-1);
            return SendAsync(http, JsonSerializer.SerializeToUtf8Bytes(new { query = ReportMutation, variables = new { input } }), token, answer =>
                answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.GetProperty("reportIncident").GetProperty("__typename").GetString() == "IncidentChanged", cancellationToken);
        }
    }

    /// <summary>The register query as a regulator; an answer is right when it has no errors and a full page (or the whole result).</summary>
    private sealed class RegisterRequests(string token) : CheckedRequests("register query")
    {
        private static readonly byte[] Body = JsonSerializer.SerializeToUtf8Bytes(new { query = RegisterQuery });

        public int TotalCount { get; private set; }

        public Task<bool> SendAsync(HttpClient http, CancellationToken cancellationToken) => SendAsync(http, Body, token, answer =>
        {
            if (!answer.TryGetProperty("errors", out _)
                && answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.GetProperty("incidents") is var page
                && page.GetProperty("totalCount").GetInt32() is var total and > 0
                && page.GetProperty("edges").GetArrayLength() == Math.Min(total, 20))
            {
                TotalCount = total;
                return true;
            }

            return false;
        }, cancellationToken);
    }

    /// <summary>The open-model client: as many connections as requests in flight, kept for the run, no client-side timeout (the run has its own).</summary>
    private static HttpClient OpenLoopClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };

    private static HttpRequestMessage GraphQLRequest(byte[] body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>
    /// Reports <paramref name="count"/> incidents, eight at a time, through the ledger's write path on the host's own
    /// document store (<see cref="LedgerWriter"/>: the domain decides, the events are hashed, chained and appended through
    /// the database's guards and the sealing queue; the host's daemon projects them like any others), cycling through the
    /// demo's reports with new ids and recent dates. This is what a reportIncident mutation does after GraphQL and
    /// Wolverine, without the outbox, the signed receipts and the deadline-check scheduling.
    /// </summary>
    private static async Task<(int Written, long Events, double PerSecond)> FillRegisterAsync(BenchApi api, int count, CancellationToken ct)
    {
        if (count <= 0)
        {
            return (0, 0, 0);
        }

        var reports = DemoDataSet.Build(DateTimeOffset.UtcNow.AddDays(-200)).Steps.Select(s => s.Command).OfType<ReportIncident>().ToArray();
        var store = api.Services.GetRequiredService<IDocumentStore>();
        // The host's daemon waits while the register fills (on two cores it would halve the fill), then catches up from where it stopped.
        var daemon = api.Services.GetRequiredService<IProjectionCoordinator>();
        await daemon.PauseAsync();
        var clock = Stopwatch.StartNew();
        var (progress, events) = (0, 0L);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var now = DateTimeOffset.UtcNow;
            var id = Guid.NewGuid();
            var template = reports[i % reports.Length];
            var report = template with { IncidentId = id, Title = $"{template.Title} ({id:N})", OccurredAt = now.AddHours(-2), BecameAwareAt = now.AddHours(-1), Now = now };
            await using var session = store.LightweightSession();
            var outcome = await LedgerWriter.DecideAsync(session, report, LedgerWriter.MetadataOf(report.Actor), new CommandContext(), BenchApi.Origin, now, token);
            await session.SaveChangesAsync(token);
            Interlocked.Add(ref events, outcome.Events.Count);
            if (Interlocked.Increment(ref progress) % 20_000 == 0)
            {
                Console.WriteLine(Invariant($"  {progress} incidents reported ({progress / clock.Elapsed.TotalSeconds:0}/s)"));
            }
        });
        var rate = count / clock.Elapsed.TotalSeconds;
        await daemon.ResumeAsync();
        return (count, events, rate);
    }

    private static async Task<(byte[] Body, string ContentType)> TypenameAsync(HttpClient http)
    {
        using var request = GraphQLRequest(TypenameQuery, null);
        using var response = await http.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType!.ToString());
    }

    private const int WarmUpRate = 250;

    private const int WarmUpWindows = 36;

    private static readonly TimeSpan JitSettled = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Reports at <see cref="WarmUpRate"/>/s in 5 s windows until the JIT compiles for less than <see cref="JitSettled"/> in one:
    /// on two cores the runtime recompiles the hot paths at higher tiers for tens of seconds (85 s and more when the machine is
    /// slow), taking much of a core from the requests, which measures the start rather than the rate. A run that never
    /// settles says so.
    /// </summary>
    private static async Task<(List<string> Windows, bool Settled)> WarmUpReportsAsync(ReportRequests reports, HttpClient http, CancellationToken ct)
    {
        var windows = new List<string>();
        var settled = false;
        while (!settled && windows.Count < WarmUpWindows)
        {
            var (methods, time) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
            await OpenLoop.MeasureAsync(WarmUpRate, TimeSpan.FromSeconds(5), Grace, (_, token) => reports.SendAsync(http, token), ct);
            var jit = JitInfo.GetCompilationTime() - time;
            windows.Add(Invariant($"{JitInfo.GetCompiledMethodCount() - methods} / {jit.TotalMilliseconds:0}"));
            settled = jit < JitSettled;
        }

        return (windows, settled);
    }

    /// <summary>
    /// Runs { __typename } in 5 s windows until a window's rate is within 5 % of the one before (the code on the path has
    /// reached its optimised tier: the host's request path takes far longer to get there than bare Kestrel's), at most 60 s.
    /// </summary>
    private static async Task<List<double>> WarmUpAsync(Uri baseAddress, int connections, CancellationToken ct)
    {
        var rates = new List<double>();
        while (rates.Count < 12 && (rates.Count < 2 || rates[^1] > rates[^2] * 1.05))
        {
            rates.Add((await TypenameLoopAsync(baseAddress, connections, TimeSpan.FromSeconds(5), ct)).PerSecond);
        }

        return rates;
    }

    /// <summary>Each worker holds one connection and posts <c>{ __typename }</c> anonymously back to back; a wrong answer counts as an error.</summary>
    private static Task<LoopResult> TypenameLoopAsync(Uri baseAddress, int connections, TimeSpan duration, CancellationToken ct)
    {
        var clients = new List<HttpClient>();
        return RunAsync();

        async Task<LoopResult> RunAsync()
        {
            try
            {
                return await ClosedLoop.RunAsync(connections, duration, _ =>
                {
                    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = baseAddress };
                    lock (clients)
                    {
                        clients.Add(client);
                    }

                    return async token =>
                    {
                        using var request = GraphQLRequest(TypenameQuery, null);
                        using var response = await client.SendAsync(request, token);
                        var answer = await response.Content.ReadAsByteArrayAsync(token);
                        if (!response.IsSuccessStatusCode || !answer.AsSpan().SequenceEqual(TypenameAnswer))
                        {
                            throw new InvalidOperationException($"{(int)response.StatusCode} {Encoding.UTF8.GetString(answer)}");
                        }
                    };
                }, ct);
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }
    }
}
