using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentLedger.Api.Tests;

/// <summary>The demo ledger loaded once, its projections caught up: what the register queries share.</summary>
public sealed class DemoLedgerFixture : IAsyncLifetime
{
    public LedgerApiFactory Node { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Node.Settings["Ledger:Demo"] = "true";
        await Node.InitializeAsync();
        Client = Node.CreateClient();
        await Node.DemoProjectedAsync();
    }

    public string Token(Actor actor) => Node.Token(actor);

    public async Task<JsonElement> QueryAsync(string query, Actor? actor, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (actor is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(actor));
        }

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Node.DisposeAsync();
    }
}

/// <summary>The ledger's queries over /graphql against the demo: the contract as served, the register's filters, search and paging, and what each role may see.</summary>
public sealed class LedgerGraphQLTests(DemoLedgerFixture demo) : IClassFixture<DemoLedgerFixture>
{
    private static readonly Actor EuRegulator = new("analyst@aesia.example", Guid.NewGuid(), ActorRole.Regulator, ["EU"]);
    private static readonly Actor Admin = new("admin@ledger.example", Guid.NewGuid(), ActorRole.Admin, []);
    private static readonly Actor Northgate = new("safety@northgate.example", DemoIds.Of("org:northgate"), ActorRole.Operator, []);

    private static readonly Guid DriverAssistance = DemoIds.Of("incident:driver-assistance");
    private static readonly Guid StopSign = DemoIds.Of("incident:stop-sign");
    private static readonly Guid FaceSwap = DemoIds.Of("incident:face-swap");
    private static readonly Guid Surgery = DemoIds.Of("incident:surgery");

    private const string RegisterQuery = """
        query ($filter: IncidentFilter, $search: String, $first: Int, $after: String, $last: Int, $before: String) {
          incidents(filter: $filter, search: $search, first: $first, after: $after, last: $last, before: $before) {
            totalCount
            edges { cursor node { incidentId title jurisdictions level status } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
        """;

    private static JsonElement Data(JsonElement body, string field)
    {
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        return body.GetProperty("data").GetProperty(field);
    }

    private static Guid[] Ids(JsonElement connection) =>
        [.. connection.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("incidentId").GetGuid())];

    private static (string? Code, string Message) Error(JsonElement body)
    {
        var error = body.GetProperty("errors")[0];
        return (error.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var code) ? code.GetString() : null, error.GetProperty("message").GetString()!);
    }

    [Fact]
    public void The_served_schema_is_the_log_contract_extended_by_the_ledger_contract()
    {
        // The same files with every root field bound to nothing: what the endpoint serves must print the same.
        var files = SchemaBuilder.FromSdl(LogGraph.Sdl).AddSdl(LedgerGraph.Sdl).UseDefaultResolvers();
        foreach (var root in new[] { LogGraph.Sdl, LedgerGraph.Sdl }.SelectMany(s => Parser.Parse(s).Definitions).OfType<ObjectTypeDefinitionNode>().Where(t => t.Name.Value is "Query" or "Mutation"))
        {
            foreach (var field in root.Fields)
            {
                files.BindResolver(root.Name.Value, field.Name.Value, _ => null);
            }
        }

        foreach (var field in new[] { LogGraph.Sdl, LedgerGraph.Sdl }.SelectMany(s => Parser.Parse(s).Definitions).OfType<ObjectTypeDefinitionNode>().Where(t => t.Name.Value == "Subscription").SelectMany(t => t.Fields))
        {
            files.BindSubscription("Subscription", field.Name.Value, _ => AsyncEnumerable.Empty<object?>());
        }
        Assert.Equal(SchemaPrinter.Print(files.Build()), SchemaPrinter.Print(LogGraph.BuildSchema()));
    }

    [Fact]
    public void Every_type_field_argument_and_enum_value_of_the_ledger_contract_is_described()
    {
        var missing = new List<string>();
        void Need(StringValueNode? description, string what)
        {
            if (string.IsNullOrWhiteSpace(description?.Value))
            {
                missing.Add(what);
            }
        }

        foreach (var definition in Parser.Parse(LedgerGraph.Sdl).Definitions.OfType<TypeDefinitionOrExtensionNode>())
        {
            var name = definition.Name.Value;
            switch (definition)
            {
                case ObjectTypeDefinitionNode o:
                    if (!o.Extension)
                    {
                        // An extension (of the log's Query) carries no description of its own.
                        Need(o.Description, name);
                    }

                    foreach (var f in o.Fields)
                    {
                        Need(f.Description, $"{name}.{f.Name.Value}");
                        f.Arguments.ToList().ForEach(a => Need(a.Description, $"{name}.{f.Name.Value}({a.Name.Value})"));
                    }

                    break;
                case InputObjectTypeDefinitionNode i:
                    Need(i.Description, name);
                    i.Fields.ToList().ForEach(f => Need(f.Description, $"{name}.{f.Name.Value}"));
                    break;
                case EnumTypeDefinitionNode e:
                    Need(e.Description, name);
                    e.Values.ToList().ForEach(v => Need(v.Description, $"{name}.{v.Name.Value}"));
                    break;
                case ScalarTypeDefinitionNode s:
                    Need(s.Description, name);
                    break;
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task Introspection_over_http_serves_the_ledger_types_to_a_caller_with_a_token_and_nothing_to_an_anonymous_one()
    {
        var types = Data(await demo.QueryAsync("{ __schema { types { name } } }", EuRegulator), "__schema").GetProperty("types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToArray();
        Assert.Contains("RegisterEntry", types);
        Assert.Contains("Checkpoint", types);

        var anonymous = await demo.QueryAsync("{ __type(name: \"RegisterEntry\") { name } }", null);
        Assert.True(anonymous.TryGetProperty("errors", out _));
        Assert.False(anonymous.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("__type", out var t) && t.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task An_eu_regulator_finds_demo_incidents_by_filter_and_by_full_text_search_and_none_outside_the_eu()
    {
        var all = Data(await demo.QueryAsync(RegisterQuery, EuRegulator, new { first = 100 }), "incidents");
        var allIds = Ids(all);
        Assert.Equal(5, all.GetProperty("totalCount").GetInt32());
        Assert.Contains(DriverAssistance, allIds);
        Assert.DoesNotContain(FaceSwap, allIds);
        Assert.DoesNotContain(Surgery, allIds);
        Assert.All(all.GetProperty("edges").EnumerateArray(), e =>
            Assert.Contains(e.GetProperty("node").GetProperty("jurisdictions").EnumerateArray(), j => Regions.Covers("EU", j.GetString()!)));

        var germany = Data(await demo.QueryAsync(RegisterQuery, EuRegulator, new { filter = new { jurisdictions = new[] { "DE" } } }), "incidents");
        Assert.Equal(new[] { DriverAssistance, StopSign }.Order(), Ids(germany).Order());
        Assert.Equal(2, germany.GetProperty("totalCount").GetInt32());

        var serious = Data(await demo.QueryAsync(RegisterQuery, EuRegulator, new { filter = new { jurisdictions = new[] { "DE" }, levels = new[] { "HAZARD", "SERIOUS_HAZARD" } } }), "incidents");
        Assert.All(serious.GetProperty("edges").EnumerateArray(), e => Assert.Contains(e.GetProperty("node").GetProperty("level").GetString(), new[] { "HAZARD", "SERIOUS_HAZARD" }));

        var truck = Data(await demo.QueryAsync(RegisterQuery, EuRegulator, new { search = "stationary truck" }), "incidents");
        Assert.Equal([DriverAssistance], Ids(truck));

        // The face-swap fraud is in the register, but in China: an EU regulator's search does not reach it; an admin's does.
        Assert.Empty(Ids(Data(await demo.QueryAsync(RegisterQuery, EuRegulator, new { search = "face swapped video" }), "incidents")));
        Assert.Equal([FaceSwap], Ids(Data(await demo.QueryAsync(RegisterQuery, Admin, new { search = "face swapped video" }), "incidents")));

        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync("query ($id: UUID!) { incident(id: $id) { title } }", EuRegulator, new { id = FaceSwap }), "incident").ValueKind);
        Assert.Equal(DriverAssistance, Data(await demo.QueryAsync("query ($id: UUID!) { incident(id: $id) { id title } }", EuRegulator, new { id = DriverAssistance }), "incident").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_operator_sees_only_the_incidents_its_organisation_takes_part_in()
    {
        await using var session = demo.Node.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var expected = (await session.Query<IncidentStream>().ToListAsync(TestContext.Current.CancellationToken))
            .Select(s => s.State.FileOrDefault).OfType<IncidentFile>()
            .Where(f => Visibility.CanSee(Northgate, f, LedgerView.Empty)).Select(f => f.Id).Order().ToArray();
        Assert.Contains(Surgery, expected);
        Assert.True(expected.Length < 9);

        var seen = Data(await demo.QueryAsync(RegisterQuery, Northgate, new { first = 100 }), "incidents");
        Assert.Equal(expected, Ids(seen).Order());
        Assert.Equal(expected.Length, seen.GetProperty("totalCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync("query ($id: UUID!) { incident(id: $id) { title } }", Northgate, new { id = FaceSwap }), "incident").ValueKind);
        Assert.All(Data(await demo.QueryAsync("{ accountability { incidentId } }", Northgate), "accountability").EnumerateArray(), c => Assert.Contains(c.GetProperty("incidentId").GetGuid(), expected));
    }

    [Fact]
    public async Task An_anonymous_caller_gets_an_authentication_error_for_the_register_and_still_reads_the_log()
    {
        var body = await demo.QueryAsync("{ incidents { totalCount } }", null);
        Assert.Equal("UNAUTHENTICATED", Error(body).Code);
        Assert.Contains("Authorization: Bearer", Error(body).Message, StringComparison.Ordinal);

        var log = await demo.QueryAsync("{ status { log { size } } }", null);
        Assert.False(log.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Pages_follow_each_other_with_after_and_a_bad_cursor_is_a_clear_error()
    {
        var seen = new List<Guid>();
        string? after = null;
        for (var page = 0; page < 3; page++)
        {
            var connection = Data(await demo.QueryAsync(RegisterQuery, Admin, new { first = 4, after }), "incidents");
            Assert.Equal(9, connection.GetProperty("totalCount").GetInt32());
            seen.AddRange(Ids(connection));
            var info = connection.GetProperty("pageInfo");
            Assert.Equal(page < 2, info.GetProperty("hasNextPage").GetBoolean());
            Assert.Equal(page > 0, info.GetProperty("hasPreviousPage").GetBoolean());
            after = info.GetProperty("endCursor").GetString();
        }

        Assert.Equal(9, seen.Distinct().Count());

        var garbage = Error(await demo.QueryAsync(RegisterQuery, Admin, new { after = "not-a-cursor" }));
        Assert.Equal("BAD_USER_INPUT", garbage.Code);
        Assert.Contains("is not a register cursor", garbage.Message, StringComparison.Ordinal);

        // A well-formed cursor of a row outside this result (an incident the filter excludes).
        var foreign = Error(await demo.QueryAsync(RegisterQuery, Admin, new { filter = new { jurisdictions = new[] { "DE" } }, after = Register.EncodeCursor(FaceSwap) }));
        Assert.Equal("BAD_USER_INPUT", foreign.Code);
        Assert.Contains("does not point at an incident of this result", foreign.Message, StringComparison.Ordinal);

        Assert.Equal("BAD_USER_INPUT", Error(await demo.QueryAsync(RegisterQuery, Admin, new { first = 0 })).Code);
        Assert.Equal("BAD_USER_INPUT", Error(await demo.QueryAsync(RegisterQuery, Admin, new { first = 2, last = 2 })).Code);
    }

    [Fact]
    public async Task Pages_run_backward_with_last_and_before_over_the_same_order()
    {
        var forward = Ids(Data(await demo.QueryAsync(RegisterQuery, Admin, new { first = 100 }), "incidents"));
        Assert.Equal(9, forward.Length);

        var tail = Data(await demo.QueryAsync(RegisterQuery, Admin, new { last = 4 }), "incidents");
        Assert.Equal(forward[5..], Ids(tail));
        Assert.True(tail.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        Assert.False(tail.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        var before = Data(await demo.QueryAsync(RegisterQuery, Admin, new { last = 4, before = tail.GetProperty("pageInfo").GetProperty("startCursor").GetString() }), "incidents");
        Assert.Equal(forward[1..5], Ids(before));
        var head = Data(await demo.QueryAsync(RegisterQuery, Admin, new { last = 4, before = before.GetProperty("pageInfo").GetProperty("startCursor").GetString() }), "incidents");
        Assert.Equal(forward[..1], Ids(head));
        Assert.False(head.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
    }

    [Fact]
    public async Task Deadlines_statistics_and_exposure_answer_within_the_callers_view()
    {
        var board = Data(await demo.QueryAsync("{ deadlines(jurisdiction: \"DE\") { incidentId jurisdiction status dueAt overdueSeconds } }", EuRegulator), "deadlines").EnumerateArray().ToArray();
        Assert.All(board, r => Assert.Equal("DE", r.GetProperty("jurisdiction").GetString()));
        Assert.All(board, r => Assert.Contains(r.GetProperty("incidentId").GetGuid(), new[] { DriverAssistance, StopSign }));

        var buckets = Data(await demo.QueryAsync("{ statistics { month sector harmType level count } }", EuRegulator), "statistics").EnumerateArray().ToArray();
        Assert.NotEmpty(buckets);
        Assert.True(buckets.Sum(b => b.GetProperty("count").GetInt32()) >= 5);

        Assert.Equal("FORBIDDEN", Error(await demo.QueryAsync("{ exposure { policies { policyId } } }", EuRegulator)).Code);
        var exposure = Data(await demo.QueryAsync("{ exposure { parties { organisationId } policies { policyId insurerId incidents incidentIds } accumulations { foundationModelId incidents incidentIds } } }", Admin), "exposure");
        Assert.NotEmpty(exposure.GetProperty("policies").EnumerateArray());

        // Each policy's and accumulation's incidents, in id order, each an incident the ledger holds.
        var exposures = exposure.GetProperty("policies").EnumerateArray().Concat(exposure.GetProperty("accumulations").EnumerateArray()).ToArray();
        Assert.Contains(exposures, e => e.GetProperty("incidents").GetInt32() > 1);
        var listed = exposures.Select(e => e.GetProperty("incidentIds").EnumerateArray().Select(i => i.GetGuid()).ToArray()).ToArray();
        Assert.Contains(listed, ids => ids.Length > 1);
        Assert.All(listed, ids => Assert.Equal(ids.Order(), ids));
        var distinct = listed.SelectMany(ids => ids).Distinct().ToArray();
        var found = (await demo.QueryAsync("{ " + string.Join(' ', distinct.Select((id, i) => $"i{i}: incident(id: \"{id}\") {{ id }}")) + " }", Admin)).GetProperty("data");
        Assert.All(distinct.Select((id, i) => (id, i)), x => Assert.Equal(x.id, found.GetProperty($"i{x.i}").GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task An_incident_reads_as_it_stood_at_its_first_event_by_time_and_by_log_size()
    {
        const string Query = "query ($id: UUID!, $asOf: DateTime, $size: Long) { incident(id: $id, asOf: $asOf, atLogSize: $size) { id version status title } }";
        var now = Data(await demo.QueryAsync(Query, Admin, new { id = Surgery }), "incident");
        Assert.Equal("CLOSED", now.GetProperty("status").GetString());
        Assert.True(now.GetProperty("version").GetInt64() > 1);

        await using var session = demo.Node.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var first = (await session.Events.FetchStreamAsync(Surgery.ToString("D"), token: TestContext.Current.CancellationToken))[0];
        var atReport = Data(await demo.QueryAsync(Query, Admin, new { id = Surgery, asOf = first.Timestamp }), "incident");
        Assert.Equal((1L, "OPEN"), (atReport.GetProperty("version").GetInt64(), atReport.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(Query, Admin, new { id = Surgery, asOf = first.Timestamp.AddMinutes(-1) }), "incident").ValueKind);

        // The first event's place in the sealed log: the log of size position + 1 holds it and none of the incident's later events.
        var source = demo.Node.Services.GetRequiredService<NpgsqlDataSource>();
        long? position = null;
        for (var wait = 0; wait < 300 && position is null; wait++)
        {
            await using var command = source.CreateCommand("SELECT position FROM ledger_entries WHERE stream_id = $1 AND version = 1");
            command.Parameters.Add(new NpgsqlParameter { Value = Surgery.ToString("D") });
            position = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) as long?;
            if (position is null)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.NotNull(position);
        var atSize = Data(await demo.QueryAsync(Query, Admin, new { id = Surgery, size = position + 1 }), "incident");
        Assert.Equal((1L, "OPEN"), (atSize.GetProperty("version").GetInt64(), atSize.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(Query, Admin, new { id = Surgery, size = position }), "incident").ValueKind);

        Assert.Equal("BAD_USER_INPUT", Error(await demo.QueryAsync(Query, Admin, new { id = Surgery, asOf = first.Timestamp, size = 1 })).Code);
    }

    [Fact]
    public async Task An_insurer_sees_the_incidents_involving_what_its_policies_cover_and_only_its_own_policies()
    {
        var insurer = new Actor("claims@harbour.example", DemoIds.Of("org:harbour"), ActorRole.Insurer, []);
        await using var session = demo.Node.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var policies = (await session.Query<PolicyStream>().ToListAsync(TestContext.Current.CancellationToken))
            .Where(p => p.State.TermsOrDefault is not null).ToDictionary(p => p.State.TermsOrDefault!.PolicyId, p => p.State);
        var view = LedgerView.Empty with { Policies = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(policies) };
        var expected = (await session.Query<IncidentStream>().ToListAsync(TestContext.Current.CancellationToken))
            .Select(s => s.State.FileOrDefault).OfType<IncidentFile>()
            .Where(f => Visibility.CanSee(insurer, f, view)).Select(f => f.Id).Order().ToArray();
        Assert.NotEmpty(expected);
        Assert.True(expected.Length < 9);

        Assert.Equal(expected, Ids(Data(await demo.QueryAsync(RegisterQuery, insurer, new { first = 100 }), "incidents")).Order());
        var exposure = Data(await demo.QueryAsync("{ exposure { policies { insurerId } } }", insurer), "exposure");
        Assert.NotEmpty(exposure.GetProperty("policies").EnumerateArray());
        Assert.All(exposure.GetProperty("policies").EnumerateArray(), p => Assert.Equal(insurer.OrganisationId, p.GetProperty("insurerId").GetGuid()));
    }

    [Fact]
    public async Task The_register_orders_by_severity_and_by_title()
    {
        const string Query = "query ($order: IncidentOrder) { incidents(orderBy: $order, first: 100) { nodes { title level } } }";
        var levels = Data(await demo.QueryAsync(Query, Admin, new { order = "SEVERITY_DESC" }), "incidents").GetProperty("nodes").EnumerateArray()
            .Select(n => Enum.Parse<OecdLevel>(n.GetProperty("level").GetString()!.Replace("_", ""), ignoreCase: true)).ToArray();
        Assert.Equal(9, levels.Length);
        Assert.Equal(levels.OrderDescending(), levels);

        var titles = Data(await demo.QueryAsync(Query, Admin, new { order = "TITLE" }), "incidents").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()!).ToArray();
        Assert.Equal(titles.Order(StringComparer.OrdinalIgnoreCase), titles);
    }

    [Fact]
    public async Task Status_date_dispute_and_breach_filters_narrow_the_register_in_postgresql_as_the_rows_say()
    {
        const string Query = "query ($filter: IncidentFilter) { incidents(filter: $filter, first: 100) { totalCount nodes { incidentId status disputed breachedClocks reportedAt sector } } }";
        JsonElement[] Nodes(JsonElement body) => [.. Data(body, "incidents").GetProperty("nodes").EnumerateArray()];

        var closed = Nodes(await demo.QueryAsync(Query, Admin, new { filter = new { statuses = new[] { "CLOSED" } } }));
        Assert.Contains(closed, n => n.GetProperty("incidentId").GetGuid() == Surgery);
        Assert.All(closed, n => Assert.Equal("CLOSED", n.GetProperty("status").GetString()));

        var all = Nodes(await demo.QueryAsync(Query, Admin));
        foreach (var flag in new[] { true, false })
        {
            Assert.Equal(all.Count(n => n.GetProperty("disputed").GetBoolean() == flag), Nodes(await demo.QueryAsync(Query, Admin, new { filter = new { disputed = flag } })).Length);
            Assert.Equal(all.Count(n => n.GetProperty("breachedClocks").GetInt32() > 0 == flag), Nodes(await demo.QueryAsync(Query, Admin, new { filter = new { hasBreachedClock = flag } })).Length);
        }

        var healthcare = Nodes(await demo.QueryAsync(Query, Admin, new { filter = new { sectors = new[] { "HEALTHCARE" } } }));
        Assert.Equal(all.Count(n => n.GetProperty("sector").GetString() == "HEALTHCARE"), healthcare.Length);

        Assert.Empty(Nodes(await demo.QueryAsync(Query, Admin, new { filter = new { reportedFrom = DateTimeOffset.UtcNow.AddYears(50) } })));
        Assert.Equal(9, Nodes(await demo.QueryAsync(Query, Admin, new { filter = new { reportedTo = DateTimeOffset.UtcNow.AddYears(50), becameAwareFrom = DateTimeOffset.UnixEpoch } })).Length);
    }

    [Fact]
    public async Task System_provider_and_party_filters_pick_out_the_incidents_whose_rows_name_any_of_the_ids()
    {
        const string Query = "query ($filter: IncidentFilter) { incidents(filter: $filter, first: 100) { totalCount nodes { incidentId systemIds providerIds partyIds } } }";
        JsonElement[] Nodes(JsonElement body) => [.. Data(body, "incidents").GetProperty("nodes").EnumerateArray()];
        static Guid[] Ids(JsonElement node, string list) => [.. node.GetProperty(list).EnumerateArray().Select(e => e.GetGuid())];

        var all = Nodes(await demo.QueryAsync(Query, Admin));
        foreach (var list in new[] { "systemIds", "providerIds", "partyIds" })
        {
            // The two ids named by the most incidents, one at a time and together ("any of").
            var named = all.SelectMany(n => Ids(n, list)).CountBy(id => id).OrderByDescending(c => c.Value).ThenBy(c => c.Key).Select(c => c.Key).Take(2).ToArray();
            Assert.Equal(2, named.Length);
            foreach (var ids in new[] { named[..1], named[1..], named })
            {
                var expected = all.Where(n => Ids(n, list).Intersect(ids).Any()).Select(n => n.GetProperty("incidentId").GetGuid()).Order().ToArray();
                var found = Nodes(await demo.QueryAsync(Query, Admin, new { filter = new Dictionary<string, Guid[]> { [list] = ids } }));
                Assert.NotEmpty(expected);
                Assert.Equal(expected, found.Select(n => n.GetProperty("incidentId").GetGuid()).Order().ToArray());
            }

            Assert.Empty(Nodes(await demo.QueryAsync(Query, Admin, new { filter = new Dictionary<string, Guid[]> { [list] = [Guid.NewGuid()] } })));
        }
    }
}
