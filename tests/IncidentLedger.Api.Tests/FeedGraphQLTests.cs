using System.Net.Http.Headers;
using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Testing;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// The live feeds over graphql-transport-ws and SSE against the demo ledger: each delivers what the subscriber may
/// see, as it is sealed, and nothing it may not; each resumes from a log position.
/// </summary>
public sealed class FeedGraphQLTests(DemoLedgerFixture demo) : IClassFixture<DemoLedgerFixture>
{
    private static readonly Actor Admin = new("admin@ledger.example", Guid.NewGuid(), ActorRole.Admin, []);
    private static readonly Actor Voltaro = new("product.safety@voltaro.example", DemoIds.Of("org:voltaro"), ActorRole.Operator, []);
    private static readonly Actor Northgate = new("patient.safety@northgate-nhs.example", DemoIds.Of("org:northgate"), ActorRole.Operator, []);
    private static readonly Actor Kba = new("marktueberwachung@kba.example", DemoIds.Of("org:kba"), ActorRole.Regulator, ["DE"]);
    private static readonly Actor Ftc = new("ai.inquiries@ftc.example", DemoIds.Of("org:ftc"), ActorRole.Regulator, ["US"]);
    private static readonly Actor Harbour = new("claims@harbour-mutual.example", DemoIds.Of("org:harbour"), ActorRole.Insurer, []);
    private static readonly Actor Pacific = new("tech.claims@pacific-specialty.example", DemoIds.Of("org:pacific"), ActorRole.Insurer, []);
    private static readonly Actor Rheinland = new("haftpflicht@rheinland-assekuranz.example", DemoIds.Of("org:rheinland"), ActorRole.Insurer, []);
    private static readonly Actor Auditor = new("audit@ledger.example", Guid.NewGuid(), ActorRole.Auditor, []);

    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);

    private const string LedgerEvents = "subscription ($after: Long) { ledgerEvents(after: $after) { position streamType streamId version type actor hash data } }";

    [Fact]
    public async Task Ledger_events_replay_the_log_to_an_admin_and_only_visible_streams_to_an_operator()
    {
        await BindPolicyAsync(Rheinland, Guid.NewGuid(), "RA-PL-2026-9002"); // A policy Northgate holds: the operator sees its events.
        var size = await SealedSizeAsync();
        await using var admin = await ConnectAsync(Admin);
        var all = await admin.CollectAsync(await admin.SubscribeAsync(LedgerEvents), Idle, e => Position(e, "ledgerEvents") >= size - 1);
        Assert.Equal(Enumerable.Range(0, (int)size).Select(p => (long)p), all.Select(e => Position(e, "ledgerEvents")).Take((int)size));

        await using var northgate = await ConnectAsync(Northgate);
        var seen = await northgate.CollectAsync(await northgate.SubscribeAsync(LedgerEvents), Idle);
        var sealedEvents = all.Select(e => e.GetProperty("data").GetProperty("ledgerEvents")).Where(e => Position(e) < size).ToArray();
        var visibleIncidents = await VisibleIncidentsAsync(
            Northgate, sealedEvents.Where(e => e.GetProperty("streamType").GetString() == "incident").Select(e => e.GetProperty("streamId").GetGuid()));
        var heldPolicies = PoliciesHeldBy(Northgate, sealedEvents);
        var expected = sealedEvents
            .Where(e => e.GetProperty("streamType").GetString() switch
            {
                "incident" => visibleIncidents.Contains(e.GetProperty("streamId").GetGuid()),
                "policy" => heldPolicies.Contains(e.GetProperty("streamId").GetGuid()),
                _ => true,
            })
            .Select(e => Position(e))
            .ToArray();
        Assert.NotEmpty(visibleIncidents);
        Assert.NotEmpty(heldPolicies);
        Assert.Equal(expected, seen.Select(e => Position(e, "ledgerEvents")).Where(p => p < size));
        Assert.True(expected.Length < size, "the operator sees fewer events than the admin");
    }

    [Fact]
    public async Task Incident_updates_reach_a_participant_and_never_an_outsider()
    {
        var report = GraphQLInputs.NewReport(Northgate);
        var id = report["incidentId"]!.GetValue<Guid>();
        const string Updates = "subscription ($id: UUID!) { incidentUpdates(incidentId: $id) { position event { type version } incident { version title } } }";
        await using var participant = await ConnectAsync(Northgate);
        await using var outsider = await ConnectAsync(Voltaro);
        var mine = await participant.SubscribeAsync(Updates, new { id });
        var theirs = await outsider.SubscribeAsync(Updates, new { id });

        await MutateAsync("mutation ($input: ReportIncidentInput!) { reportIncident(input: $input) { __typename } }", Northgate, new { input = report });
        var first = await participant.NextAsync(mine, Arrival);
        var update = first!.Value.GetProperty("payload").GetProperty("data").GetProperty("incidentUpdates");
        Assert.Equal("incident.reported", update.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal(1, update.GetProperty("incident").GetProperty("version").GetInt64());

        await MutateAsync(
            "mutation ($input: AmendReportInput!) { amendReport(input: $input) { __typename } }",
            Northgate, new { input = new { incidentId = id, reportType = "FOLLOW_UP", summary = "Thresholds corrected." } });
        var updates = await participant.CollectAsync(mine, Arrival, u => u.GetProperty("data").GetProperty("incidentUpdates").GetProperty("event").GetProperty("type").GetString() == "incident.report_amended");
        var amended = updates[^1].GetProperty("data").GetProperty("incidentUpdates");
        Assert.Equal("incident.report_amended", amended.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal(amended.GetProperty("event").GetProperty("version").GetInt64(), amended.GetProperty("incident").GetProperty("version").GetInt64());

        Assert.Null(await outsider.NextAsync(theirs, Idle));
    }

    [Fact]
    public async Task New_incidents_reach_the_regulators_whose_filter_they_match()
    {
        await using var kba = await ConnectAsync(Kba);
        await using var ftc = await ConnectAsync(Ftc);
        const string NewIncidents = "subscription ($after: Long) { newIncidents(filter: { jurisdictions: [\"DE\"] }, after: $after) { position entry { incidentId title jurisdictions } } }";
        var size = await SealedSizeAsync();
        var german = await kba.SubscribeAsync(NewIncidents, new { after = size - 1 });
        var american = await ftc.SubscribeAsync(NewIncidents, new { after = size - 1 });

        var inGermany = GraphQLInputs.NewReport(Voltaro, jurisdictions: ["DE"]);
        var inFrance = GraphQLInputs.NewReport(Voltaro, jurisdictions: ["FR"]);
        await MutateAsync("mutation ($input: ReportIncidentInput!) { reportIncident(input: $input) { __typename } }", Voltaro, new { input = inFrance });
        await MutateAsync("mutation ($input: ReportIncidentInput!) { reportIncident(input: $input) { __typename } }", Voltaro, new { input = inGermany });

        var arrived = await kba.NextAsync(german, Arrival);
        var entry = arrived!.Value.GetProperty("payload").GetProperty("data").GetProperty("newIncidents").GetProperty("entry");
        Assert.Equal(inGermany["incidentId"]!.GetValue<Guid>(), entry.GetProperty("incidentId").GetGuid());
        Assert.Null(await kba.NextAsync(german, Idle));
        Assert.Null(await ftc.NextAsync(american, Idle));
    }

    [Fact]
    public async Task A_deadline_breach_arrives_on_the_subscription_of_the_jurisdictions_regulator_only()
    {
        await using var kba = await ConnectAsync(Kba);
        await using var ftc = await ConnectAsync(Ftc);
        const string Breaches = "subscription ($after: Long) { deadlineBreaches(after: $after) { position incidentId clockId jurisdiction dueAt breachedAt } }";
        var size = await SealedSizeAsync();
        var german = await kba.SubscribeAsync(Breaches, new { after = size - 1 });
        var american = await ftc.SubscribeAsync(Breaches, new { after = size - 1 });

        // Known for thirty days and never notified: its reporting clocks are long past due, and the scheduled check records the breach.
        var overdue = GraphQLInputs.NewReport(Voltaro, TimeSpan.FromDays(30), ["DE"]);
        await MutateAsync("mutation ($input: ReportIncidentInput!) { reportIncident(input: $input) { __typename } }", Voltaro, new { input = overdue });

        var arrived = await kba.NextAsync(german, Arrival);
        var breach = arrived!.Value.GetProperty("payload").GetProperty("data").GetProperty("deadlineBreaches");
        Assert.Equal(overdue["incidentId"]!.GetValue<Guid>(), breach.GetProperty("incidentId").GetGuid());
        Assert.True(breach.GetProperty("dueAt").GetDateTimeOffset() < breach.GetProperty("breachedAt").GetDateTimeOffset());
        Assert.Null(await ftc.NextAsync(american, Idle));
    }

    [Fact]
    public async Task An_insurer_sees_its_exposure_change_and_another_insurer_does_not()
    {
        const string Exposure = "subscription { exposureChanges { position exposure { policies { policyId policyNumber } } } }";
        await using var harbour = await ConnectAsync(Harbour);
        await using var pacific = await ConnectAsync(Pacific);
        var own = await harbour.SubscribeAsync(Exposure);
        var other = await pacific.SubscribeAsync(Exposure);
        var before = Policies(await harbour.NextAsync(own, Arrival));
        Assert.NotNull(await pacific.NextAsync(other, Arrival));

        var policyId = Guid.NewGuid();
        await BindPolicyAsync(Harbour, policyId, "HM-PL-2026-9001");

        // Other changes to Harbour's exposure (earlier filings still being applied) may come first; the new policy arrives.
        IReadOnlyList<Guid> after = before;
        while (!after.Contains(policyId) && await harbour.NextAsync(own, Arrival) is { } message)
        {
            after = Policies(message);
        }

        Assert.Equal(before.Append(policyId).Order(), after.Order());
        Assert.Null(await pacific.NextAsync(other, Idle));
    }

    [Fact]
    public async Task Feeds_refuse_anonymous_callers_and_auditors_and_bad_positions()
    {
        await using var anonymous = await GraphQLSocket.ConnectAsync(demo.Node.Server, null);
        Assert.Equal("UNAUTHENTICATED", ErrorCode(await anonymous.NextAsync(await anonymous.SubscribeAsync(LedgerEvents), Arrival)));

        await using var auditor = await ConnectAsync(Auditor);
        Assert.Equal("FORBIDDEN", ErrorCode(await auditor.NextAsync(await auditor.SubscribeAsync(LedgerEvents), Arrival)));

        await using var admin = await ConnectAsync(Admin);
        Assert.Equal("BAD_USER_INPUT", ErrorCode(await admin.NextAsync(await admin.SubscribeAsync(LedgerEvents, new { after = -2 }), Arrival)));
    }

    [Fact]
    public async Task An_sse_client_resumes_after_its_last_event_id()
    {
        var size = await SealedSizeAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { query = "subscription ($after: Long) { ledgerEvents(after: $after) { position } }" }),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", demo.Token(Admin));
        request.Headers.Add("Last-Event-ID", (size - 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var cancel = new CancellationTokenSource(Arrival);
        using var response = await demo.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        var ids = new List<long>();
        while (ids.Count < 2 && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                ids.Add(long.Parse(line[3..].Trim(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal([size - 2, size - 1], ids);
    }

    private Task<GraphQLSocket> ConnectAsync(Actor actor) => GraphQLSocket.ConnectAsync(demo.Node.Server, demo.Token(actor));

    private async Task<JsonElement> MutateAsync(string mutation, Actor actor, object variables)
    {
        var response = await demo.QueryAsync(mutation, actor, variables);
        Assert.False(response.TryGetProperty("errors", out var errors), errors.ToString());
        return response.GetProperty("data").EnumerateObject().Single().Value;
    }

    /// <summary>The insurer covers Northgate's surgical system under a new policy.</summary>
    private async Task BindPolicyAsync(Actor insurer, Guid policyId, string policyNumber)
    {
        var bound = await MutateAsync(
            "mutation ($input: BindPolicyInput!) { bindPolicy(input: $input) { __typename ... on CommandError { code message } } }",
            insurer,
            new
            {
                input = new
                {
                    policyId, policyNumber, insurerId = insurer.OrganisationId, insuredId = DemoIds.Of("org:northgate"), coveredSystems = new[] { DemoIds.Of("sys:aurasurg") },
                    coverage = new[] { "THIRD_PARTY_LIABILITY" }, periodStart = DateTimeOffset.UtcNow.AddDays(-1), periodEnd = DateTimeOffset.UtcNow.AddDays(364),
                    limit = new { amount = 1_000_000, currency = "GBP" }, retention = new { amount = 10_000, currency = "GBP" }, exclusions = Array.Empty<string>(),
                },
            });
        Assert.Equal("PolicyChanged", bound.GetProperty("__typename").GetString());
    }

    /// <summary>Which of these incidents <paramref name="actor"/> may read, by the incident query on each current file (the feeds' rule).</summary>
    private async Task<HashSet<Guid>> VisibleIncidentsAsync(Actor actor, IEnumerable<Guid> incidents)
    {
        var ids = incidents.Distinct().ToArray();
        var query = "{ " + string.Join(" ", ids.Select((id, i) => $"i{i}: incident(id: \"{id}\") {{ id }}")) + " }";
        var response = await demo.QueryAsync(query, actor);
        Assert.False(response.TryGetProperty("errors", out var errors), errors.ToString());
        var data = response.GetProperty("data");
        return [.. ids.Where((_, i) => data.GetProperty($"i{i}").ValueKind != JsonValueKind.Null)];
    }

    /// <summary>The policies <paramref name="actor"/>'s organisation writes or holds, by the bindings in these events (the feeds' rule).</summary>
    private static HashSet<Guid> PoliciesHeldBy(Actor actor, IEnumerable<JsonElement> events) =>
    [
        .. events
            .Where(e => e.GetProperty("type").GetString() == "policy.bound")
            .Where(e => e.GetProperty("data") is var data
                && (data.GetProperty("insurerId").GetGuid() == actor.OrganisationId || data.GetProperty("insuredId").GetGuid() == actor.OrganisationId))
            .Select(e => e.GetProperty("streamId").GetGuid()),
    ];

    /// <summary>The log's size once everything written so far is sealed.</summary>
    private async Task<long> SealedSizeAsync()
    {
        long size = 0;
        await Eventually.HoldsAsync(async () =>
        {
            var log = (await demo.QueryAsync("{ status { log { size unsealed } } }", Admin)).GetProperty("data").GetProperty("status").GetProperty("log");
            size = log.GetProperty("size").GetInt64();
            return log.GetProperty("unsealed").GetInt64() == 0;
        }, "everything written is sealed");
        return size;
    }

    private static long Position(JsonElement payload, string field) => Position(payload.GetProperty("data").GetProperty(field));

    private static long Position(JsonElement item) => item.GetProperty("position").GetInt64();

    private static IReadOnlyList<Guid> Policies(JsonElement? message) =>
        [.. message!.Value.GetProperty("payload").GetProperty("data").GetProperty("exposureChanges").GetProperty("exposure").GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("policyId").GetGuid())];

    private static string? ErrorCode(JsonElement? message)
    {
        var m = message!.Value;
        var errors = m.GetProperty("type").GetString() == "error" ? m.GetProperty("payload") : m.GetProperty("payload").GetProperty("errors");
        return errors[0].GetProperty("extensions").GetProperty("code").GetString();
    }
}
