using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentLedger.Api.Commands;
using IncidentLedger.Api.Domain;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// The demo with every report filed six more times under new incident ids (63 incidents, same reporters, systems and
/// parties), through Wolverine like any command, its projections caught up: enough for a page of 50 for an admin, and
/// for an operator or an insurer several times what the demo alone lets them see.
/// </summary>
public sealed class RegisterVolumeFixture : IAsyncLifetime
{
    public const int Repeats = 6;

    public LedgerApiFactory Node { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public int Incidents { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Node.Settings["Ledger:Demo"] = "true";
        await Node.InitializeAsync();
        Client = Node.CreateClient();
        await Node.DemoProjectedAsync();

        var reports = DemoDataSet.Build(DemoLoader.Origin).Steps.Select(s => s.Command).OfType<ReportIncident>().ToArray();
        await using (var scope = Node.Services.CreateAsyncScope())
        {
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            for (var repeat = 1; repeat <= Repeats; repeat++)
            {
                foreach (var report in reports)
                {
                    // Numbered titles come first by title, a whole round of the reports before the next: a page the size of one round holds every kind of entry.
                    var again = report with { IncidentId = DemoIds.Of($"statement-count/{repeat}/{report.IncidentId}"), Title = $"{repeat}. {report.Title}" };
                    await bus.InvokeAsync<WriteOutcome>(LedgerCommand.For(again, new CommandContext { ScheduleDeadlineChecks = false }), TestContext.Current.CancellationToken);
                }
            }
        }

        Incidents = reports.Length * (Repeats + 1);
        var store = Node.Services.GetRequiredService<IDocumentStore>();
        var dataSource = Node.Services.GetRequiredService<NpgsqlDataSource>();
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var session = store.QuerySession();
                return await session.Query<RegisterRow>().CountAsync() == Incidents
                    && (await LedgerStatus.ProjectionsAsync(dataSource)).Where(p => LedgerProjections.Names.Contains(p.Name.Split(':')[0])).All(p => p.LagEvents == 0);
            },
            $"the register to hold all {Incidents} incidents",
            TimeSpan.FromSeconds(90),
            TimeSpan.FromMilliseconds(200));
    }

    public string Token(Actor actor) => Node.Token(actor);

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Node.DisposeAsync();
    }
}

/// <summary>
/// The SQL a register request runs, counted from Npgsql's own activities (the "Npgsql" ActivitySource) of that
/// request's trace alone: a page of entries with their systems, providers, parties and the systems' supply chains costs
/// the same few statements at any page size, for every role; and the register's full-text search can use its index.
/// </summary>
public sealed class RegisterStatementCountTests(RegisterVolumeFixture ledger) : IClassFixture<RegisterVolumeFixture>
{
    private static readonly Actor Admin = new("admin@ledger.example", Guid.NewGuid(), ActorRole.Admin, []);
    private static readonly Actor EuRegulator = new("incidents@ai-office.example", DemoIds.Of("org:ai-office"), ActorRole.Regulator, ["EU"]);
    private static readonly Actor Northgate = new("patient.safety@northgate-nhs.example", DemoIds.Of("org:northgate"), ActorRole.Operator, []);
    private static readonly Actor Harbour = new("claims@harbour-mutual.example", DemoIds.Of("org:harbour"), ActorRole.Insurer, []);

    private const string NestedPage = """
        query ($first: Int!, $search: String) {
          incidents(first: $first, search: $search, orderBy: TITLE) {
            totalCount
            edges {
              cursor
              node {
                incidentId title level jurisdictions
                systems {
                  id name riskTier
                  provider { id name country }
                  developer { id name }
                  foundationModel { id name provider { id name } }
                  supplyChain { role organisation { id name kinds } }
                }
                providers { id name country }
                parties { id name }
              }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    public static TheoryData<string> Roles => ["admin", "regulator", "operator", "insurer"];

    private static Actor ActorFor(string role) => role switch
    {
        "admin" => Admin,
        "regulator" => EuRegulator,
        "operator" => Northgate,
        _ => Harbour,
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task A_register_page_with_nested_systems_and_organisations_runs_the_same_statements_at_any_page_size(string role)
    {
        var actor = ActorFor(role);
        var (fifty, fiftyStatements) = await CountedAsync(actor, new { first = 50 });
        var round = fifty.GetProperty("totalCount").GetInt32() / (RegisterVolumeFixture.Repeats + 1);
        var (one, roundStatements) = await CountedAsync(actor, new { first = round });
        var (_, tenStatements) = await CountedAsync(actor, new { first = 10 });
        var entries = Entries(fifty);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{role}: first {round} -> {Entries(one).Length} entries, {roundStatements.Count} statements; first 10 -> {tenStatements.Count} statements; "
            + $"first 50 -> {entries.Length} entries, {fiftyStatements.Count} statements:\n  " + string.Join("\n  ", fiftyStatements));

        // Several times more entries on the large page, each with its systems and their providers resolved.
        Assert.True(round >= 1 && entries.Length >= Math.Min(50, round * RegisterVolumeFixture.Repeats), $"{role} sees {entries.Length} entries in rounds of {round}; the fixture should give it more.");
        Assert.All(entries, e => Assert.NotEqual(0, e.GetProperty("systems").GetArrayLength()));
        Assert.All(entries.SelectMany(e => e.GetProperty("systems").EnumerateArray()), s => Assert.Equal(JsonValueKind.Object, s.GetProperty("provider").ValueKind));

        // The page and what decides visibility, then one batch per kind (systems, organisations) and level of nesting that
        // brings keys not loaded yet: systems and organisations of the entries; the systems' organisations and foundation
        // models; the foundation models' providers. More entries can only bring fewer new levels (their organisations are
        // already loaded), never more statements.
        // The count of every match is taken once per state of the register (a scheduled clock check writing between two
        // queries moves it on), so the sizes are compared without it.
        Assert.InRange(roundStatements.Count, 1, PageStatements(actor) + LoaderLevels);
        Assert.InRange(WithoutCount(tenStatements), 1, WithoutCount(roundStatements));
        Assert.InRange(WithoutCount(fiftyStatements), 1, WithoutCount(tenStatements));
    }

    private const int LoaderLevels = 5;

    private static int WithoutCount(IReadOnlyCollection<string> statements) =>
        statements.Count(s => !s.StartsWith("select count(*)", StringComparison.Ordinal));

    // The page query, and for operators and insurers the candidates, their files (and the policies) before the page;
    // where PostgreSQL decides visibility, the page and (for a full page) the register's mark and, the first time at that
    // mark, the count of every match.
    private static int PageStatements(Actor actor) => actor.Role switch
    {
        ActorRole.Operator => 3,
        ActorRole.Insurer => 4,
        _ => 3,
    };

    [Fact]
    public async Task An_admin_page_of_fifty_runs_the_same_statements_as_a_page_of_ten()
    {
        // Once counted at the register's present state, the count is not taken again for either page.
        await CountedAsync(Admin, new { first = 10 });
        var (ten, tenStatements) = await CountedAsync(Admin, new { first = 10 });
        var (fifty, fiftyStatements) = await CountedAsync(Admin, new { first = 50 });

        TestContext.Current.TestOutputHelper?.WriteLine($"admin: first 10 -> {tenStatements.Count} statements, first 50 -> {fiftyStatements.Count} statements");
        Assert.Equal(10, Entries(ten).Length);
        Assert.Equal(50, Entries(fifty).Length);
        Assert.Equal(ledger.Incidents, fifty.GetProperty("totalCount").GetInt32());
        Assert.Equal(WithoutCount(tenStatements), WithoutCount(fiftyStatements));
    }

    [Fact]
    public async Task A_searched_page_runs_no_more_statements_at_a_larger_page_size()
    {
        var (one, oneStatements) = await CountedAsync(EuRegulator, new { first = 1, search = "stationary truck" });
        var (all, allStatements) = await CountedAsync(EuRegulator, new { first = 50, search = "stationary truck" });

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"regulator, search \"stationary truck\": first 1 -> {oneStatements.Count} statements; first 50 -> {Entries(all).Length} entries, {allStatements.Count} statements:\n  "
            + string.Join("\n  ", allStatements));
        Assert.Single(Entries(one));
        Assert.Equal(RegisterVolumeFixture.Repeats + 1, Entries(all).Length);

        // A page holding every match needs no count (nor the register's mark): never more statements for the larger page.
        Assert.InRange(allStatements.Count, 1, WithoutCount(oneStatements) - 1);
    }

    [Fact]
    public async Task The_register_search_can_use_the_full_text_index_and_does_on_a_large_register()
    {
        var owner = ledger.Node.Services.GetRequiredKeyedService<NpgsqlDataSource>(LedgerRoles.Owner);
        var table = $"\"{ledger.Node.Schema}\".mt_doc_registerrow";
        var query = $"SELECT d.id FROM {table} d WHERE {RegisterSearch.SearchCondition.Replace("^", "$1", StringComparison.Ordinal)}";
        await using var connection = await owner.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);

        // The fixture's 63 rows: the planner reads so small a table whole, but with sequential scans off it must take the index.
        await ExecuteAsync(connection, "SET LOCAL enable_seqscan = off");
        var forced = await ExplainAsync(connection, query, "chatbot");
        await ExecuteAsync(connection, "SET LOCAL enable_seqscan = on");

        // Twenty thousand more rows (copies of the fixture's with other ids and mostly other words), inside this transaction only.
        await ExecuteAsync(connection, $$"""
            INSERT INTO {{table}} (id, data, mt_last_modified, mt_version, mt_dotnet_type)
            SELECT gen_random_uuid(), jsonb_set(r.data, '{searchText}', to_jsonb('synthetic filler entry ' || g || ' ' || md5(g::text))), r.mt_last_modified, gen_random_uuid(), r.mt_dotnet_type
            FROM (SELECT * FROM {{table}} LIMIT 1) r, generate_series(1, 20000) g
            """);
        await ExecuteAsync(connection, $"ANALYZE {table}");
        var large = await ExplainAsync(connection, query, "chatbot");
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine($"seqscan off, {ledger.Incidents} rows:\n{forced}\n\n20,000 more rows:\n{large}");
        Assert.Contains("idx_fts", forced, StringComparison.Ordinal);
        Assert.Contains("Bitmap Index Scan", large, StringComparison.Ordinal);
        Assert.Contains("idx_fts", large, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("systemIds")]
    [InlineData("providerIds")]
    [InlineData("partyIds")]
    public async Task An_identifier_filter_can_use_the_GIN_index_over_its_list(string member)
    {
        var owner = ledger.Node.Services.GetRequiredKeyedService<NpgsqlDataSource>(LedgerRoles.Owner);
        var table = $"\"{ledger.Node.Schema}\".mt_doc_registerrow";
        var query = $"SELECT d.id FROM {table} d WHERE {RegisterSearch.ContainsCondition(member).Replace("^", "$1", StringComparison.Ordinal)}";
        await using var connection = await owner.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);

        // The planner reads the fixture's small table whole, but with sequential scans off it must take an index that serves the condition.
        await ExecuteAsync(connection, "SET LOCAL enable_seqscan = off");
        var plan = await ExplainAsync(connection, query, $"[\"{Guid.NewGuid():D}\"]");
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.Contains("Bitmap Index Scan", plan, StringComparison.Ordinal);
        Assert.Contains($"idx_{member.ToLowerInvariant()}_gin", plan, StringComparison.Ordinal);
    }

    private static JsonElement[] Entries(JsonElement connection) =>
        [.. connection.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))];

    /// <summary>Runs the nested page as <paramref name="actor"/>; returns the connection and the SQL statements of that request alone.</summary>
    private async Task<(JsonElement Connection, IReadOnlyList<string> Statements)> CountedAsync(Actor actor, object variables)
    {
        using var recorder = new StatementRecorder();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = NestedPage, variables }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ledger.Token(actor));
        request.Headers.Add("traceparent", $"00-{recorder.TraceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await ledger.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        return (body.GetProperty("data").GetProperty("incidents"), recorder.Statements);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string query, string parameter)
    {
        await using var command = new NpgsqlCommand("EXPLAIN " + query, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            plan.Add(reader.GetString(0));
        }

        return string.Join('\n', plan);
    }

    /// <summary>
    /// Records the statements Npgsql runs in one trace: the request carries the trace id in its traceparent header,
    /// ASP.NET Core continues that trace, and Npgsql's command activities are its children. Other tests' and the
    /// background workers' statements belong to other traces (or none) and are not counted.
    /// </summary>
    private sealed class StatementRecorder : IDisposable
    {
        private readonly ActivityListener listener;
        private readonly ConcurrentQueue<string> statements = new();

        public StatementRecorder()
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> options) => options.TraceId == TraceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name == "Npgsql" && activity.TraceId == TraceId)
                    {
                        statements.Enqueue(activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName);
                    }
                },
            };
            ActivitySource.AddActivityListener(listener);
        }

        public ActivityTraceId TraceId { get; } = ActivityTraceId.CreateRandom();

        public IReadOnlyList<string> Statements => [.. statements];

        public void Dispose() => listener.Dispose();
    }
}
