using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Crosswalks;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Integrity;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Merkle;
using IncidentLedger.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentLedger.Api.Tests;

/// <summary>An incident's timeline with integrity receipts, its crosswalk reports, and the registers of AI systems and organisations, over /graphql against the demo.</summary>
public sealed class LedgerRecordsGraphQLTests(DemoLedgerFixture demo) : IClassFixture<DemoLedgerFixture>
{
    private static readonly Actor Admin = new("admin@ledger.example", Guid.NewGuid(), ActorRole.Admin, []);
    private static readonly Actor EuRegulator = new("analyst@aesia.example", Guid.NewGuid(), ActorRole.Regulator, ["EU"]);
    private static readonly Actor Northgate = new("safety@northgate.example", DemoIds.Of("org:northgate"), ActorRole.Operator, []);
    private static readonly Actor Auditor = new("audit@assurance.example", Guid.NewGuid(), ActorRole.Auditor, []);

    private static readonly Guid DriverAssistance = DemoIds.Of("incident:driver-assistance");
    private static readonly Guid FaceSwap = DemoIds.Of("incident:face-swap");
    private static readonly Guid Polymath = DemoIds.Of("sys:polymath");
    private static readonly Guid SonoraEcho = DemoIds.Of("sys:sonora-echo");
    private static readonly Guid HuanLian = DemoIds.Of("sys:huanlian");

    private const string TimelineQuery = """
        query ($id: UUID!, $asOf: DateTime) {
          incident(id: $id, asOf: $asOf) {
            version
            timeline {
              version type summary recordedAt
              actor { subject role organisationId organisation { id name } }
              receipt { eventId hash prev position sealedAt }
            }
          }
        }
        """;

    private const string ProofQuery = """
        query ($id: UUID!) {
          incident(id: $id) {
            timeline {
              version
              receipt {
                eventId hash position
                inclusionProof { entry { position eventId eventHash } treeSize leafHash path checkpoint { size rootHash note } }
              }
            }
          }
          verifierKeys
        }
        """;

    private const string CrosswalkQuery = """
        query ($id: UUID!, $ids: [String!]) {
          incident(id: $id) {
            crosswalks(ids: $ids) {
              crosswalk version title incidentId filled total completeness mandatoryFilled mandatoryTotal mandatoryCompleteness missing missingMandatory
              fields { section id label mandatory value filled }
            }
          }
        }
        """;

    private const string SystemFields = """
        id name intendedPurpose sector riskTier autonomy currentVersion
        versions { version releasedAt notes substantialModification }
        providerId provider { id name country }
        developerId developer { name }
        supplyChain { organisationId role organisation { id name } }
        removedParties { organisationId role organisation { name } }
        foundationModelId foundationModelName foundationModel { id name riskTier }
        registrations { scheme value }
        registeredAt withdrawn withdrawal { reason recall withdrawnAt }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Data(JsonElement body, string field)
    {
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        return body.GetProperty("data").GetProperty(field);
    }

    private static (string? Code, string Message) Error(JsonElement body)
    {
        Assert.True(body.TryGetProperty("errors", out var errors), body.ToString());
        var error = errors[0];
        return (error.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var code) ? code.GetString() : null, error.GetProperty("message").GetString()!);
    }

    private static string? Text(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static Hash HashOf(JsonElement hex) => Hash.FromHex(hex.GetString()!);

    private IDocumentStore Store => demo.Node.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task The_timeline_lists_every_event_of_the_stream_in_order_each_hash_chained_to_the_next_events_prev()
    {
        var incident = Data(await demo.QueryAsync(TimelineQuery, Admin, new { id = DriverAssistance }), "incident");
        var timeline = incident.GetProperty("timeline").EnumerateArray().ToArray();
        Assert.Equal(incident.GetProperty("version").GetInt64(), timeline.Length);
        Assert.True(timeline.Length > 5);
        Assert.Equal(Enumerable.Range(1, timeline.Length).Select(v => (long)v), timeline.Select(t => t.GetProperty("version").GetInt64()));

        Assert.Null(Text(timeline[0].GetProperty("receipt"), "prev"));
        for (var i = 1; i < timeline.Length; i++)
        {
            Assert.Equal(Text(timeline[i - 1].GetProperty("receipt"), "hash"), Text(timeline[i].GetProperty("receipt"), "prev"));
        }

        // Each line is the stored event: its id, hash and actor as Marten holds them.
        await using var session = Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(StreamKeys.Of(DriverAssistance), token: Ct);
        Assert.Equal(events.Count, timeline.Length);
        foreach (var (line, stored) in timeline.Zip(events))
        {
            var receipt = line.GetProperty("receipt");
            Assert.Equal(stored.Id, receipt.GetProperty("eventId").GetGuid());
            Assert.Equal(ChainedEvents.HeaderText(stored, LedgerStore.Headers.Hash), Text(receipt, "hash"));
            Assert.Equal(DomainEvents.NameOf(stored.Data), Text(line, "type"));
            Assert.Equal(EventSummaries.Describe(stored.Data), Text(line, "summary"));
            Assert.Equal(IncidentLedger.GraphQL.Types.DateTimeType.Format(stored.Timestamp), Text(line, "recordedAt"));
            var actor = line.GetProperty("actor");
            Assert.Equal(ChainedEvents.HeaderText(stored, LedgerStore.Headers.Actor), Text(actor, "subject"));
            Assert.Equal(ChainedEvents.HeaderText(stored, LedgerStore.Headers.Role), Text(actor, "role"));
            Assert.Equal(ChainedEvents.HeaderText(stored, LedgerStore.Headers.Organisation), actor.GetProperty("organisationId").ValueKind == JsonValueKind.Null ? null : actor.GetProperty("organisationId").GetGuid().ToString("D"));
        }

        // The report was filed by Voltaro, whose name the register resolves.
        var reporter = timeline[0].GetProperty("actor");
        Assert.Equal("incident.reported", Text(timeline[0], "type"));
        Assert.Equal(DemoIds.Of("org:voltaro"), reporter.GetProperty("organisationId").GetGuid());
        Assert.Equal("Voltaro Automotive AG", Text(reporter.GetProperty("organisation"), "name"));

        // Read as of its first event, the incident's timeline stops where the file does: at the events recorded with the report.
        var atReport = Data(await demo.QueryAsync(TimelineQuery, Admin, new { id = DriverAssistance, asOf = events[0].Timestamp }), "incident");
        var reportedWith = events.Count(e => e.Timestamp <= events[0].Timestamp);
        Assert.True(reportedWith < events.Count);
        Assert.Equal(reportedWith, atReport.GetProperty("version").GetInt64());
        Assert.Equal(Enumerable.Range(1, reportedWith).Select(v => (long)v), atReport.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Once_sealed_every_event_has_a_position_and_an_inclusion_proof_that_verifies_against_the_signed_checkpoint()
    {
        JsonElement body = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                body = await demo.QueryAsync(ProofQuery, EuRegulator, new { id = DriverAssistance });
                return Data(body, "incident").GetProperty("timeline").EnumerateArray()
                    .All(t => t.GetProperty("receipt").GetProperty("inclusionProof").ValueKind == JsonValueKind.Object);
            },
            "a checkpoint to cover every event of the incident");

        var key = VerifierKeys.Parse(body.GetProperty("data").GetProperty("verifierKeys")[0].GetString()!);
        var positions = new List<long>();
        foreach (var line in Data(body, "incident").GetProperty("timeline").EnumerateArray())
        {
            var receipt = line.GetProperty("receipt");
            var proof = receipt.GetProperty("inclusionProof");
            var position = receipt.GetProperty("position").GetInt64();
            positions.Add(position);
            Assert.Equal(position, proof.GetProperty("entry").GetProperty("position").GetInt64());
            Assert.Equal(receipt.GetProperty("eventId").GetGuid(), proof.GetProperty("entry").GetProperty("eventId").GetGuid());
            Assert.Equal(Text(receipt, "hash"), Text(proof.GetProperty("entry"), "eventHash"));

            // The leaf is the receipt's hash, and the audit path leads from it to the root of a checkpoint signed with the published key.
            var leaf = MerkleHasher.Leaf(HashOf(receipt.GetProperty("hash")).Bytes);
            Assert.Equal(leaf, HashOf(proof.GetProperty("leafHash")));
            var note = SignedNote.Parse(proof.GetProperty("checkpoint").GetProperty("note").GetString()!);
            Assert.True(note.IsVerifiedBy(key));
            var checkpoint = Checkpoint.Parse(note.Text);
            Assert.Equal((checkpoint.Size, checkpoint.Root), (proof.GetProperty("treeSize").GetInt64(), HashOf(proof.GetProperty("checkpoint").GetProperty("rootHash"))));
            var path = proof.GetProperty("path").EnumerateArray().Select(HashOf).ToArray();
            Assert.True(MerkleProofs.VerifyInclusion(position, checkpoint.Size, leaf, path, checkpoint.Root));
            Assert.False(MerkleProofs.VerifyInclusion(position, checkpoint.Size, MerkleHasher.Leaf(new byte[32]), path, checkpoint.Root));
        }

        // The stream's events are sealed in their order.
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());

        var bad = Error(await demo.QueryAsync("query ($id: UUID!) { incident(id: $id) { timeline { receipt { inclusionProof(treeSize: 0) { treeSize } } } } }", Admin, new { id = DriverAssistance }));
        Assert.Equal("BAD_USER_INPUT", bad.Code);
    }

    [Fact]
    public async Task Crosswalk_reports_have_the_completeness_the_domain_renders_from_the_whole_ledger()
    {
        // The expected reports: the whole log folded by the domain, as an independent route to the same view.
        await using var session = Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync(Ct);
        var view = LedgerView.Fold(events.Where(RecordedEvents.IsLedgerEvent).Select(RecordedEvents.From));
        Assert.Equal(9, view.ReportedIncidents.Count());
        foreach (var incident in view.ReportedIncidents)
        {
            var expected = CrosswalkRenderer.RenderAll(incident, view);
            var reports = Data(await demo.QueryAsync(CrosswalkQuery, Admin, new { id = incident.IncidentId }), "incident").GetProperty("crosswalks").EnumerateArray().ToArray();
            Assert.Equal(expected.Select(r => r.Crosswalk), reports.Select(r => Text(r, "crosswalk")));
            foreach (var (want, got) in expected.Zip(reports))
            {
                Assert.Equal(
                    (want.Version, want.Title, want.IncidentId, want.Filled, want.Total, want.Completeness, want.MandatoryFilled, want.MandatoryTotal, want.MandatoryCompleteness),
                    (Text(got, "version"), Text(got, "title"), got.GetProperty("incidentId").GetGuid(), got.GetProperty("filled").GetInt32(), got.GetProperty("total").GetInt32(),
                        got.GetProperty("completeness").GetDecimal(), got.GetProperty("mandatoryFilled").GetInt32(), got.GetProperty("mandatoryTotal").GetInt32(), got.GetProperty("mandatoryCompleteness").GetDecimal()));
                Assert.Equal(want.Missing, got.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!));
                Assert.Equal(want.MissingMandatory, got.GetProperty("missingMandatory").EnumerateArray().Select(m => m.GetString()!));
                Assert.Equal(
                    want.Fields.Select(f => (f.Section, f.Id, f.Label, f.Mandatory, f.Value, f.Filled)),
                    got.GetProperty("fields").EnumerateArray().Select(f => (Text(f, "section")!, Text(f, "id")!, Text(f, "label")!, f.GetProperty("mandatory").GetBoolean(), Text(f, "value"), f.GetProperty("filled").GetBoolean())));
            }
        }

        var art73 = Data(await demo.QueryAsync(CrosswalkQuery, EuRegulator, new { id = DriverAssistance, ids = new[] { CrosswalkCatalogue.EuArt73 } }), "incident").GetProperty("crosswalks");
        Assert.Equal([CrosswalkCatalogue.EuArt73], art73.EnumerateArray().Select(r => Text(r, "crosswalk")));
        Assert.Contains(art73[0].GetProperty("fields").EnumerateArray(), f => Text(f, "value")?.Contains("Kraftfahrt-Bundesamt", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_unknown_crosswalk_is_a_bad_input_naming_the_known_ones()
    {
        var (code, message) = Error(await demo.QueryAsync(CrosswalkQuery, Admin, new { id = DriverAssistance, ids = new[] { "oecd-crf", "iso-42001" } }));
        Assert.Equal("BAD_USER_INPUT", code);
        Assert.Contains("\"iso-42001\"", message, StringComparison.Ordinal);
        Assert.All(CrosswalkCatalogue.Default.Definitions, d => Assert.Contains(d.Id, message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ai_system_shows_its_versions_tier_supply_chain_with_organisations_and_the_model_it_builds_on()
    {
        var query = $"query ($id: UUID!) {{ aiSystem(id: $id) {{ {SystemFields} }} }}";
        var polymath = Data(await demo.QueryAsync(query, Northgate, new { id = Polymath }), "aiSystem");
        Assert.Equal(("Polymath-7", "GPAI_SYSTEMIC_RISK", "ASSISTIVE", "CONTENT_SERVICES"), (Text(polymath, "name"), Text(polymath, "riskTier"), Text(polymath, "autonomy"), Text(polymath, "sector")));
        Assert.Equal("Lumen Foundation Models Inc.", Text(polymath.GetProperty("provider"), "name"));
        Assert.Equal("Lumen Foundation Models Inc.", Text(polymath.GetProperty("developer"), "name"));
        var deployers = polymath.GetProperty("supplyChain").EnumerateArray().Where(p => Text(p, "role") == "DEPLOYER").Select(p => Text(p.GetProperty("organisation"), "name")!).Order().ToArray();
        Assert.Equal(["Kindred AI Inc.", "Sonora Home Devices Ltd"], deployers);
        var removed = Assert.Single(polymath.GetProperty("removedParties").EnumerateArray());
        Assert.Equal(("DEPLOYER", "Fenghua Media Technology Co., Ltd."), (Text(removed, "role"), Text(removed.GetProperty("organisation"), "name")));
        Assert.Equal(JsonValueKind.Null, polymath.GetProperty("foundationModel").ValueKind);
        Assert.False(polymath.GetProperty("withdrawn").GetBoolean());

        var echo = Data(await demo.QueryAsync(query, Northgate, new { id = SonoraEcho }), "aiSystem");
        Assert.Equal(Polymath, echo.GetProperty("foundationModelId").GetGuid());
        Assert.Equal(("Polymath-7", "GPAI_SYSTEMIC_RISK"), (Text(echo.GetProperty("foundationModel"), "name"), Text(echo.GetProperty("foundationModel"), "riskTier")));
        Assert.Equal(JsonValueKind.Null, echo.GetProperty("developer").ValueKind);

        var huanlian = Data(await demo.QueryAsync(query, Northgate, new { id = HuanLian }), "aiSystem");
        Assert.True(huanlian.GetProperty("withdrawn").GetBoolean());
        Assert.Equal("Withdrawal order CAC-ZG-2025-131.", Text(huanlian.GetProperty("withdrawal"), "reason"));
        Assert.Equal(("CN_ALGORITHM_FILING", "DEMO-CN-ALG-0001"), (Text(huanlian.GetProperty("registrations")[0], "scheme"), Text(huanlian.GetProperty("registrations")[0], "value")));

        var pilot = Data(await demo.QueryAsync(query, Northgate, new { id = DemoIds.Of("sys:voltaro-pilot") }), "aiSystem");
        Assert.Equal(["4.0", "4.1", "4.2"], pilot.GetProperty("versions").EnumerateArray().Select(v => Text(v, "version")!));
        Assert.Equal("4.2", Text(pilot, "currentVersion"));
        Assert.True(pilot.GetProperty("versions")[1].GetProperty("substantialModification").GetBoolean());

        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(query, Northgate, new { id = Guid.NewGuid() }), "aiSystem").ValueKind);
    }

    [Fact]
    public async Task The_register_of_systems_filters_by_foundation_model_party_tier_and_withdrawal()
    {
        const string Query = "query ($model: UUID, $party: UUID, $tiers: [EuRiskTier!], $withdrawn: Boolean) { aiSystems(foundationModelId: $model, partyId: $party, riskTiers: $tiers, withdrawn: $withdrawn) { id name riskTier withdrawn supplyChain { organisation { name } } } }";
        string[] Names(JsonElement body) => [.. Data(body, "aiSystems").EnumerateArray().Select(s => Text(s, "name")!)];

        var all = Data(await demo.QueryAsync(Query, EuRegulator), "aiSystems").EnumerateArray().ToArray();
        await using var session = Store.QuerySession();
        Assert.Equal(await session.Query<AiSystemStream>().CountAsync(Ct), all.Length);
        Assert.Equal(all.Select(s => Text(s, "name")!).Order(StringComparer.OrdinalIgnoreCase), all.Select(s => Text(s, "name")!));
        Assert.All(all, s => Assert.All(s.GetProperty("supplyChain").EnumerateArray(), p => Assert.NotNull(Text(p.GetProperty("organisation"), "name"))));

        Assert.Equal(["Kindred Companion", "QuickNews Writer", "Sonora Echo"], Names(await demo.QueryAsync(Query, EuRegulator, new { model = Polymath })));
        Assert.Equal(["HuanLian Studio"], Names(await demo.QueryAsync(Query, EuRegulator, new { withdrawn = true })));
        Assert.Equal(["Helix-2", "Polymath-7"], Names(await demo.QueryAsync(Query, EuRegulator, new { tiers = new[] { "GPAI_SYSTEMIC_RISK" } })));
        Assert.Equal(["Helix-2"], Names(await demo.QueryAsync(Query, EuRegulator, new { party = DemoIds.Of("org:nimbus") })));
        Assert.Equal(["AuraSurg"], Names(await demo.QueryAsync(Query, EuRegulator, new { party = DemoIds.Of("org:northgate") })));
    }

    [Fact]
    public async Task Organisations_are_read_one_by_one_or_filtered_by_kind_and_country()
    {
        const string One = "query ($id: UUID!) { organisation(id: $id) { id name country kinds legalIdentifier registeredAt } }";
        var metricor = Data(await demo.QueryAsync(One, Northgate, new { id = DemoIds.Of("org:metricor") }), "organisation");
        Assert.Equal(("Metricor Workforce Analytics Ltd", "IE"), (Text(metricor, "name"), Text(metricor, "country")));
        Assert.Equal(["COMPANY"], metricor.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(One, Northgate, new { id = Guid.NewGuid() }), "organisation").ValueKind);

        const string Many = "query ($kinds: [OrganisationKind!], $country: String) { organisations(kinds: $kinds, country: $country) { name country kinds } }";
        var insurers = Data(await demo.QueryAsync(Many, EuRegulator, new { kinds = new[] { "INSURER" } }), "organisations").EnumerateArray().Select(o => Text(o, "name")!).ToArray();
        Assert.Equal(["Harbour Mutual Insurance plc", "Pacific Specialty Underwriters Inc.", "Rheinland Assekuranz AG"], insurers);

        var eu = Data(await demo.QueryAsync(Many, EuRegulator, new { country = "eu" }), "organisations").EnumerateArray().ToArray();
        Assert.Contains(eu, o => Text(o, "name") == "European AI Office");
        Assert.Contains(eu, o => Text(o, "name") == "Voltaro Automotive AG");
        Assert.All(eu, o => Assert.True(Regions.Covers("EU", Text(o, "country")!)));
        Assert.DoesNotContain(eu, o => Text(o, "country") is "GB" or "US" or "CN");

        var germanRegulators = Data(await demo.QueryAsync(Many, EuRegulator, new { kinds = new[] { "REGULATOR" }, country = "DE" }), "organisations").EnumerateArray().Select(o => Text(o, "name")!);
        Assert.Equal(["Kraftfahrt-Bundesamt (market surveillance)"], germanRegulators);

        Assert.Equal("BAD_USER_INPUT", Error(await demo.QueryAsync(Many, EuRegulator, new { country = "Germany" })).Code);
    }

    [Fact]
    public async Task An_incident_reaches_its_reporter_and_the_full_records_of_its_systems_and_providers()
    {
        const string Query = "query ($id: UUID!) { incident(id: $id) { reportingOrganisation { name } systems { systemId version system { id currentVersion riskTier } provider { name } } } }";
        var incident = Data(await demo.QueryAsync(Query, EuRegulator, new { id = DriverAssistance }), "incident");
        Assert.Equal("Voltaro Automotive AG", Text(incident.GetProperty("reportingOrganisation"), "name"));
        var system = Assert.Single(incident.GetProperty("systems").EnumerateArray());

        // The version involved stays as reported; the system's record has moved on.
        Assert.Equal(("4.0", "4.2"), (Text(system, "version"), Text(system.GetProperty("system"), "currentVersion")));
        Assert.Equal(system.GetProperty("systemId").GetGuid(), system.GetProperty("system").GetProperty("id").GetGuid());
        Assert.Equal("Voltaro Automotive AG", Text(system.GetProperty("provider"), "name"));
    }

    [Fact]
    public async Task Anonymous_callers_are_unauthenticated_auditors_forbidden_and_uninvolved_operators_see_no_incident()
    {
        const string Records = "query ($id: UUID!) { incident(id: $id) { timeline { version } crosswalks { crosswalk } } }";
        foreach (var (query, variables) in new (string, object?)[]
        {
            (Records, new { id = DriverAssistance }),
            ("{ aiSystems { id } }", null),
            ("query ($id: UUID!) { aiSystem(id: $id) { id } }", new { id = Polymath }),
            ("{ organisations { id } }", null),
            ("query ($id: UUID!) { organisation(id: $id) { id } }", new { id = DemoIds.Of("org:voltaro") }),
        })
        {
            var anonymous = Error(await demo.QueryAsync(query, null, variables));
            Assert.Equal("UNAUTHENTICATED", anonymous.Code);
            Assert.Contains("Authorization: Bearer", anonymous.Message, StringComparison.Ordinal);
            var auditor = Error(await demo.QueryAsync(query, Auditor, variables));
            Assert.Equal("FORBIDDEN", auditor.Code);
            Assert.Contains("transparency log", auditor.Message, StringComparison.Ordinal);
        }

        // Northgate takes no part in the crash or the face-swap fraud: no incident, so no timeline or report of it.
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(Records, Northgate, new { id = DriverAssistance }), "incident").ValueKind);
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(Records, Northgate, new { id = FaceSwap }), "incident").ValueKind);
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(Records, EuRegulator, new { id = FaceSwap }), "incident").ValueKind);
        Assert.Equal(JsonValueKind.Null, Data(await demo.QueryAsync(Records, Admin, new { id = Guid.NewGuid() }), "incident").ValueKind);

        // The surgery, in which Northgate deploys the robot, it reads with its timeline and reports.
        var surgery = Data(await demo.QueryAsync(Records, Northgate, new { id = DemoIds.Of("incident:surgery") }), "incident");
        Assert.NotEmpty(surgery.GetProperty("timeline").EnumerateArray());
        Assert.Equal(CrosswalkCatalogue.Default.Definitions.Count, surgery.GetProperty("crosswalks").GetArrayLength());
    }
}
