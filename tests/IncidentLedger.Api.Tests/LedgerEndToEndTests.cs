using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// The ledger as its users meet it, over HTTP on a listening socket against a real PostgreSQL, with a token per role:
/// an operator registers its system and files; a regulator finds the incident, adjudicates a disputed share and sees
/// another incident's clock breach on its subscription while this one's is met; an insurer sees its exposure move; an
/// auditor exports and verifies the log, and then finds a row changed behind the ledger's back.
/// </summary>
public sealed class LedgerEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);

    private static readonly Actor Admin = new("registrar@ledger.example", Guid.NewGuid(), ActorRole.Admin, []);
    private static readonly Guid AcmeId = Guid.NewGuid();
    private static readonly Guid FleetId = Guid.NewGuid();
    private static readonly Guid ShieldId = Guid.NewGuid();
    private static readonly Guid KbaId = Guid.NewGuid();
    private static readonly Actor Acme = new("safety@acme-robotics.example", AcmeId, ActorRole.Operator, []);
    private static readonly Actor Fleet = new("legal@fleet-logistics.example", FleetId, ActorRole.Operator, []);
    private static readonly Actor Shield = new("claims@shield-insurance.example", ShieldId, ActorRole.Insurer, []);
    private static readonly Actor Kba = new("marktueberwachung@kba.example", KbaId, ActorRole.Regulator, ["DE"]);
    private static readonly Actor Auditor = new("audit@assurance.example", Guid.NewGuid(), ActorRole.Auditor, []);

    private readonly LedgerApiFactory node = new();
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        await node.InitializeAsync();
        node.UseKestrel(0);
        node.StartServer();
        client = node.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await node.DisposeAsync();
    }

    [Fact]
    public async Task Operators_regulators_insurers_and_auditors_follow_one_incident_through_the_ledger()
    {
        Assert.StartsWith("http://127.0.0.1:", client.BaseAddress!.ToString(), StringComparison.Ordinal);
        var systemId = Guid.NewGuid();
        foreach (var (id, name, kind) in new[] { (AcmeId, "Acme Robotics", "COMPANY"), (FleetId, "Fleet Logistics", "COMPANY"), (ShieldId, "Shield Insurance", "INSURER"), (KbaId, "Kraftfahrt-Bundesamt", "REGULATOR") })
        {
            Changed(await MutateAsync(Admin, "registerOrganisation", "RegisterOrganisationInput", new { organisationId = id, name, country = "DE", kinds = new[] { kind } }), "OrganisationChanged");
        }

        // 1. The operator registers its system and the insurer covers it.
        Changed(await MutateAsync(Acme, "registerAiSystem", "RegisterAiSystemInput", new
        {
            systemId, name = "Acme Autopilot", version = "4.2", providerId = AcmeId, parties = new[] { new { organisationId = FleetId, role = "DEPLOYER" } },
            sector = "TRANSPORT", tier = "HIGH", autonomy = "HUMAN_MACHINE_HYBRID", intendedPurpose = "Driver assistance for delivery vans on motorways.", registrations = Array.Empty<object>(),
        }), "AiSystemChanged");
        Changed(await MutateAsync(Shield, "bindPolicy", "BindPolicyInput", new
        {
            policyId = Guid.NewGuid(), policyNumber = "SH-PL-2026-0001", insurerId = ShieldId, insuredId = AcmeId, coveredSystems = new[] { systemId }, coverage = new[] { "PRODUCT_LIABILITY" },
            periodStart = DateTimeOffset.UtcNow.AddDays(-30), periodEnd = DateTimeOffset.UtcNow.AddDays(335),
            limit = new { amount = 5_000_000, currency = "EUR" }, retention = new { amount = 50_000, currency = "EUR" }, exclusions = Array.Empty<string>(),
        }), "PolicyChanged");

        // The regulator and the insurer subscribe before anything is filed.
        await using var regulatorFeed = await GraphQLSocket.ConnectAsync(client.BaseAddress, Token(Kba));
        var breaches = await regulatorFeed.SubscribeAsync("subscription { deadlineBreaches { position incidentId clockId jurisdiction } }");
        await using var insurerFeed = await GraphQLSocket.ConnectAsync(client.BaseAddress, Token(Shield));
        var exposure = await insurerFeed.SubscribeAsync("subscription { exposureChanges { position exposure { systems { systemId incidents } parties { organisationId incidents } } } }");
        Assert.Equal(0, SystemIncidents(await insurerFeed.NextAsync(exposure, Arrival), systemId));

        // The operator files: its van braked hard on a motorway. Filed at once, so its Art. 73 clock runs for 15 days.
        var incidentId = Guid.NewGuid();
        var filed = Changed(await MutateAsync(Acme, "reportIncident", "ReportIncidentInput", Report(incidentId, systemId, "Phantom braking of a delivery van on the A7", TimeSpan.FromHours(2))), "IncidentChanged");
        Assert.Equal("Phantom braking of a delivery van on the A7", filed.GetProperty("incident").GetProperty("title").GetString());

        // 5. The insurer's exposure moves on its subscription: the covered system now has an incident.
        Assert.Equal(1, await NextSystemIncidentsAsync(insurerFeed, exposure, systemId, 1));

        // 2. The regulator finds it with a filter and a full-text search, once the register (a read model of its own) has applied it.
        var found = default(JsonElement);
        await Eventually.HoldsAsync(
            async () =>
            {
                found = (await QueryAsync(Kba, """
                    { incidents(filter: { jurisdictions: ["EU"], sectors: [TRANSPORT], levels: [SERIOUS_INCIDENT] }, search: "phantom braking") { totalCount nodes { incidentId title } } }
                    """)).GetProperty("incidents");
                return found.GetProperty("totalCount").GetInt32() > 0;
            },
            "the register to list the incident");
        Assert.Equal(1, found.GetProperty("totalCount").GetInt32());
        Assert.Equal(incidentId, found.GetProperty("nodes")[0].GetProperty("incidentId").GetGuid());

        // 3. Accountability: the operator holds its deployer partly accountable; the deployer disputes; the regulator adjudicates.
        var assignmentId = Guid.NewGuid();
        Changed(await MutateAsync(Acme, "assignAccountability", "AssignAccountabilityInput", new
        {
            incidentId, assignmentId, partyId = FleetId, role = "DEPLOYER", basis = "OPERATOR_MISUSE", sharePercent = 40, standing = "PRESUMED",
            rationale = "The van ran outside the motorway domain the system is intended for.",
        }), "IncidentChanged");
        Changed(await MutateAsync(Fleet, "disputeAccountability", "DisputeAccountabilityInput", new
        {
            incidentId, assignmentId, grounds = "The route was a motorway; the logs show the system engaged within its domain.", proposedSharePercent = 0,
        }), "IncidentChanged");
        Assert.Equal("disputed", (await AccountabilityAsync(incidentId, FleetId, "disputed")).GetProperty("state").GetString());
        Changed(await MutateAsync(Kba, "adjudicateAccountability", "AdjudicateAccountabilityInput", new
        {
            incidentId, adjudicationId = Guid.NewGuid(), forum = "REGULATOR", decisionReference = "KBA-2026-0042",
            shares = new[] { new { partyId = AcmeId, role = "PROVIDER", basis = "DESIGN_DEFECT", sharePercent = 90 }, new { partyId = FleetId, role = "DEPLOYER", basis = "OPERATOR_MISUSE", sharePercent = 10 } },
            rationale = "Sensor fusion misread a gantry sign; the deployer's late software update contributed.",
        }), "IncidentChanged");
        var adjudicated = await AccountabilityAsync(incidentId, FleetId, "adjudicated");
        Assert.Equal(10m, adjudicated.GetProperty("sharePercent").GetDecimal());
        Assert.Equal("KBA-2026-0042", adjudicated.GetProperty("decisionReference").GetString());

        // 4. The EU clock is met by the operator's notification…
        Changed(await MutateAsync(Acme, "notifyRegulator", "NotifyRegulatorInput", new
        {
            incidentId, notificationId = Guid.NewGuid(), authority = "MARKET_SURVEILLANCE_AUTHORITY", authorityName = "Kraftfahrt-Bundesamt", jurisdiction = "DE", reportType = "INITIAL", reference = "ACME-2026-17",
        }), "IncidentChanged");
        await Eventually.HoldsAsync(
            async () => (await QueryAsync(Kba, "{ deadlines(jurisdiction: \"DE\") { incidentId status } }")).GetProperty("deadlines").EnumerateArray()
                .Any(d => d.GetProperty("incidentId").GetGuid() == incidentId && d.GetProperty("status").GetString() == "MET"),
            "the deadline board to show the clock met");

        // …while another incident, known for a month and never notified, breaches: the breach arrives on the regulator's subscription.
        var lateId = Guid.NewGuid();
        Changed(await MutateAsync(Acme, "reportIncident", "ReportIncidentInput", Report(lateId, systemId, "Lane departure at a motorway exit", TimeSpan.FromDays(30))), "IncidentChanged");
        var breach = (await regulatorFeed.NextAsync(breaches, Arrival))!.Value.GetProperty("payload").GetProperty("data").GetProperty("deadlineBreaches");
        Assert.Equal(lateId, breach.GetProperty("incidentId").GetGuid());
        Assert.Equal("DE", breach.GetProperty("jurisdiction").GetString());
        Assert.Equal(2, await NextSystemIncidentsAsync(insurerFeed, exposure, systemId, 2));

        // 6. The auditor exports the log and verifies it offline with the published key.
        using var ledger = new LedgerCommandLine(node.Schema);
        var logKey = node.Services.GetRequiredService<INoteSigner>().VerifierKey;
        var report = await ReportEventAsync(incidentId);
        Assert.Equal("FORBIDDEN", (await QueryRawAsync(Auditor, $$"""{ incident(id: "{{incidentId}}") { title } }""")).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        await Eventually.HoldsAsync(SealedAndCheckpointedAsync, "everything written to be sealed and checkpointed");
        var (verified, output) = await ledger.RunAsync("verify", await ledger.ExportAsync(), "--key", logKey);
        Assert.True(verified == 0, output);

        // 7. A row is changed in the database behind the ledger's back: verification fails at that event.
        await using (var owner = NpgsqlDataSource.Create(await TestPostgres.GetConnectionStringAsync()))
        await using (var connection = await owner.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await using var replica = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, transaction);
            await replica.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            await using var alter = new NpgsqlCommand($"UPDATE \"{node.Schema}\".mt_events SET data = jsonb_set(data, '{{title}}', '\"Minor braking event\"') WHERE id = $1", connection, transaction);
            alter.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = report.EventId });
            Assert.Equal(1, await alter.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        var (tampered, verdict) = await ledger.RunAsync("verify", await ledger.ExportAsync(), "--key", logKey);
        Assert.True(tampered != 0, verdict);
        Assert.Contains($"position {report.Position}", verdict, StringComparison.Ordinal);
    }

    private static object Report(Guid incidentId, Guid systemId, string title, TimeSpan awareFor)
    {
        var aware = DateTimeOffset.UtcNow - awareFor;
        return new
        {
            incidentId, title,
            description = "The van braked to a standstill from 80 km/h with no obstacle ahead; the following lorry could not stop in time.",
            occurredAt = aware.AddMinutes(-30), becameAwareAt = aware, jurisdictions = new[] { "DE" },
            systems = new[] { new { systemId, name = "Acme Autopilot", version = "4.2", providerId = AcmeId, deployerIds = new[] { FleetId }, tier = "HIGH" } },
            sector = "TRANSPORT",
            classification = new { level = "SERIOUS_INCIDENT", euCriteria = new[] { "SERIOUS_HARM_TO_HEALTH" }, harmTypes = new[] { "PHYSICAL" } },
            peopleAffected = 2, reporterRole = "PROVIDER",
            causalLink = new { relation = "DIRECT_CAUSE", statement = "The perception stack classified an overhead gantry sign as a stopped vehicle." },
        };
    }

    private string Token(Actor actor) => node.Token(actor);

    private async Task<JsonElement> MutateAsync(Actor actor, string mutation, string inputType, object input)
    {
        var incident = typeof(IncidentLedger.Domain.Incidents.IIncidentCommand).IsAssignableFrom(IncidentLedger.Api.GraphQL.MutationGraph.Commands[mutation]) ? "... on IncidentChanged { incident { title version } }" : "";
        var query = $$"""
            mutation ($input: {{inputType}}!) {
              {{mutation}}(input: $input) {
                __typename
                ... on Change { version }
                {{incident}}
                ... on CommandError { code message }
                ... on InvalidInput { field }
              }
            }
            """;
        return (await QueryAsync(actor, query, new { input = GraphQLInputs.Of(input) })).GetProperty(mutation);
    }

    private static JsonElement Changed(JsonElement result, string type)
    {
        Assert.True(result.GetProperty("__typename").GetString() == type, result.ToString());
        return result;
    }

    private async Task<JsonElement> QueryAsync(Actor actor, string query, object? variables = null)
    {
        var response = await QueryRawAsync(actor, query, variables);
        Assert.False(response.TryGetProperty("errors", out var errors), errors.ToString());
        return response.GetProperty("data");
    }

    private async Task<JsonElement> QueryRawAsync(Actor actor, string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(actor));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private async Task<(Guid EventId, long Position)> ReportEventAsync(Guid incidentId)
    {
        (Guid, long) found = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                var timeline = (await QueryAsync(Admin, $$"""{ incident(id: "{{incidentId}}") { timeline { type receipt { eventId position } } } }"""))
                    .GetProperty("incident").GetProperty("timeline")[0];
                var receipt = timeline.GetProperty("receipt");
                found = (receipt.GetProperty("eventId").GetGuid(), receipt.GetProperty("position").ValueKind == JsonValueKind.Number ? receipt.GetProperty("position").GetInt64() : -1);
                return found.Item2 >= 0;
            },
            "the incident's report to be sealed");
        return found;
    }

    // The regulator's accountability cell of a party once the read model shows it in the state given.
    private async Task<JsonElement> AccountabilityAsync(Guid incidentId, Guid partyId, string state)
    {
        JsonElement cell = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                var cells = (await QueryAsync(Kba, $$"""{ accountability(incidentId: "{{incidentId}}") { partyId state sharePercent decisionReference } }""")).GetProperty("accountability");
                cell = cells.EnumerateArray().FirstOrDefault(c => c.GetProperty("partyId").GetGuid() == partyId);
                return cell.ValueKind == JsonValueKind.Object && cell.GetProperty("state").GetString()!.StartsWith(state, StringComparison.Ordinal);
            },
            $"the accountability of {partyId} to be {state}");
        return cell;
    }

    // The whole log sealed and covered by the latest checkpoint (the scheduled clock checks write nothing more once their breach is recorded).
    private async Task<bool> SealedAndCheckpointedAsync()
    {
        var data = await QueryAsync(Auditor, "{ checkpoint { size } status { log { size unsealed } } }");
        var log = data.GetProperty("status").GetProperty("log");
        return data.GetProperty("checkpoint").ValueKind == JsonValueKind.Object && log.GetProperty("unsealed").GetInt64() == 0
            && data.GetProperty("checkpoint").GetProperty("size").GetInt64() == log.GetProperty("size").GetInt64();
    }

    private static int SystemIncidents(JsonElement? message, Guid systemId) =>
        message!.Value.GetProperty("payload").GetProperty("data").GetProperty("exposureChanges").GetProperty("exposure").GetProperty("systems").EnumerateArray()
            .Where(s => s.GetProperty("systemId").GetGuid() == systemId).Select(s => s.GetProperty("incidents").GetInt32()).SingleOrDefault();

    // The insurer's exposure messages until the covered system shows the expected number of incidents (other changes, such as shares, may come between).
    private static async Task<int> NextSystemIncidentsAsync(GraphQLSocket feed, string id, Guid systemId, int expected)
    {
        var last = -1;
        while (last != expected && await feed.NextAsync(id, Arrival) is { } message)
        {
            last = SystemIncidents(message, systemId);
        }

        return last;
    }
}
