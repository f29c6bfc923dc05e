using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// What each role must not do, on the demo ledger: an operator, an insurer and a regulator each get nothing of an
/// incident outside their part, jurisdiction or cover — not its file, timeline, accountability or deadlines — and
/// cannot write to it; auditors read no incident content; anonymous callers neither read nor write.
/// </summary>
public sealed class RoleAuthorisationTests(DemoLedgerFixture demo) : IClassFixture<DemoLedgerFixture>
{
    private static readonly Actor Admin = new("admin@ledger.example", Guid.NewGuid(), ActorRole.Admin, []);

    public static TheoryData<string> Outsiders => ["operator", "insurer", "regulator"];

    private static Actor Outsider(string role) => role switch
    {
        "operator" => new("product.safety@voltaro.example", DemoIds.Of("org:voltaro"), ActorRole.Operator, []),
        "insurer" => new("tech.claims@pacific-specialty.example", DemoIds.Of("org:pacific"), ActorRole.Insurer, []),
        _ => new("ai.inquiries@ftc.example", DemoIds.Of("org:ftc"), ActorRole.Regulator, ["US"]),
    };

    [Theory]
    [MemberData(nameof(Outsiders))]
    public async Task A_caller_gets_nothing_of_an_incident_outside_its_part_and_cannot_write_to_it(string role)
    {
        var actor = Outsider(role);
        var visible = await RegisterAsync(actor);
        var hidden = (await RegisterAsync(Admin)).Except(visible).ToArray();
        Assert.NotEmpty(visible);
        Assert.NotEmpty(hidden);

        foreach (var id in hidden)
        {
            var data = await DataAsync(actor, $$"""
                {
                  incident(id: "{{id}}") { title timeline { type } crosswalks { crosswalk } }
                  accountability(incidentId: "{{id}}") { partyId }
                  deadlines { incidentId }
                }
                """);
            Assert.Equal(JsonValueKind.Null, data.GetProperty("incident").ValueKind);
            Assert.Empty(data.GetProperty("accountability").EnumerateArray());
            Assert.DoesNotContain(data.GetProperty("deadlines").EnumerateArray(), d => d.GetProperty("incidentId").GetGuid() == id);
        }

        var target = hidden[0];
        var before = await VersionAsync(target);
        var write = (await DataAsync(actor, """
            mutation ($input: AmendReportInput!) { amendReport(input: $input) { __typename ... on CommandError { code } } }
            """, new { input = new { incidentId = target, reportType = "FOLLOW_UP", summary = "Not mine to write." } })).GetProperty("amendReport");
        Assert.Equal("NotPermitted", write.GetProperty("__typename").GetString());
        Assert.Equal(before, await VersionAsync(target));
    }

    [Fact]
    public async Task An_auditor_reads_the_log_but_no_incident_content()
    {
        var auditor = new Actor("audit@assurance.example", Guid.NewGuid(), ActorRole.Auditor, []);
        var id = DemoIds.Of("incident:driver-assistance");
        foreach (var query in new[] { "{ incidents(first: 5) { totalCount } }", $$"""{ incident(id: "{{id}}") { title } }""", "{ accountability { partyId } }", "{ deadlines { clockId } }", "{ statistics { count } }", "{ exposure { parties { name } } }", "{ aiSystems { name } }" })
        {
            var response = await demo.QueryAsync(query, auditor);
            Assert.Equal("FORBIDDEN", response.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        }

        Assert.Equal(JsonValueKind.Number, (await DataAsync(auditor, "{ status { log { size } } }")).GetProperty("status").GetProperty("log").GetProperty("size").ValueKind);
    }

    private async Task<IReadOnlyCollection<Guid>> RegisterAsync(Actor actor) =>
        [.. (await DataAsync(actor, "{ incidents(first: 100) { nodes { incidentId } } }")).GetProperty("incidents").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("incidentId").GetGuid())];

    private async Task<long> VersionAsync(Guid id) =>
        (await DataAsync(Admin, $$"""{ incident(id: "{{id}}") { version } }""")).GetProperty("incident").GetProperty("version").GetInt64();

    private async Task<JsonElement> DataAsync(Actor actor, string query, object? variables = null)
    {
        var response = await demo.QueryAsync(query, actor, variables);
        Assert.False(response.TryGetProperty("errors", out var errors), errors.ToString());
        return response.GetProperty("data");
    }
}
