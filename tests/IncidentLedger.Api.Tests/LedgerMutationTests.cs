using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.GraphQL.Types;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Integrity.Receipts;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// The ledger's mutations over /graphql against the demo ledger: every domain command is a mutation; an accepted
/// command answers with the incident's new state, version and signed receipts; every refusal is a typed member of
/// the result union and writes nothing.
/// </summary>
public sealed class LedgerMutationTests(DemoLedgerFixture demo) : IClassFixture<DemoLedgerFixture>
{
    private static readonly Actor Northgate = new("patient.safety@northgate-nhs.example", DemoIds.Of("org:northgate"), ActorRole.Operator, []);
    private static readonly Actor Voltaro = new("product.safety@voltaro.example", DemoIds.Of("org:voltaro"), ActorRole.Operator, []);
    private static readonly Actor Auditor = new("audit@ledger.example", Guid.NewGuid(), ActorRole.Auditor, []);
    private static readonly Actor Admin = new("admin@ledger.example", Guid.NewGuid(), ActorRole.Admin, []);

    private const string Result = """
        __typename
        ... on IncidentChanged { incidentId version alreadyApplied receipts { eventId version eventType eventHash recordedAt note } incident { title version status } }
        ... on CommandError { code message }
        ... on InvalidInput { field }
        ... on VersionConflict { streamId expectedVersion currentVersion }
        ... on RuleViolated { remedy }
        """;

    private static readonly string Report = $$"""
        mutation ($input: ReportIncidentInput!, $expectedVersion: Long, $key: String) {
          reportIncident(input: $input, expectedVersion: $expectedVersion, idempotencyKey: $key) { {{Result}} }
        }
        """;

    private static readonly string Amend = $$"""
        mutation ($input: AmendReportInput!, $expectedVersion: Long, $key: String) {
          amendReport(input: $input, expectedVersion: $expectedVersion, idempotencyKey: $key) { {{Result}} }
        }
        """;

    [Fact]
    public void Every_domain_command_is_a_mutation_and_every_mutation_a_command()
    {
        var schema = GraphQLInputs.Schema;
        Assert.Equal(MutationGraph.Commands.Keys.Order(), schema.MutationType!.Fields.Select(f => f.Name).Order());
        foreach (var (name, command) in MutationGraph.Commands)
        {
            // Each input field is a constructor parameter of the command, and each parameter but the actor and time an input field.
            var input = (InputObjectType)((NonNullType)schema.MutationType.GetField(name)!.GetArgument("input")!.Type).OfType;
            Assert.Equal(CommandInput.InputParameters(command).Select(p => CommandInput.FieldName(p.Name!)).Order(), input.Fields.Select(f => f.Name).Order());
        }
    }

    [Fact]
    public void Every_demo_command_travels_through_its_mutation_input_unchanged()
    {
        var commands = DemoDataSet.Build(DateTimeOffset.UtcNow.AddDays(-200)).Steps.Select(s => s.Command).ToArray();
        Assert.True(commands.Select(c => c.GetType()).Distinct().Count() >= 20, "the demo should use most of the commands");
        foreach (var command in commands)
        {
            var domain = (IDomainCommand)command;

            // Through the wire: the input as a client sends it, read back the way the server's coercion hands it over.
            var sent = JsonDocument.Parse(CommandInput.ToInput(command).ToJsonString()).RootElement;
            var input = Coerced(sent, (InputObjectType)GraphQLInputs.Schema.GetType(command.GetType().Name + "Input")!);
            Assert.True(DomainJson.Same(command, CommandInput.Build(command.GetType(), input, domain.Actor, domain.Now)), $"{command.GetType().Name} changed on its way through {sent}");
        }
    }

    [Fact]
    public async Task An_operator_files_an_incident_and_gets_its_state_version_and_verifiable_receipts()
    {
        var input = NewReport();
        var before = await EventCountAsync();

        var changed = await MutateAsync(Report, Northgate, new { input, key = $"report-{Guid.NewGuid():N}" }, "reportIncident");

        Assert.Equal("IncidentChanged", changed.GetProperty("__typename").GetString());
        var version = changed.GetProperty("version").GetInt64();
        var receipts = changed.GetProperty("receipts").EnumerateArray().ToArray();
        Assert.True(version >= 1);
        Assert.Equal(version, receipts.Length);
        Assert.Equal(before + version, await EventCountAsync());
        Assert.Equal("incident.reported", receipts[0].GetProperty("eventType").GetString());
        Assert.Equal(Enumerable.Range(1, receipts.Length).Select(v => (long)v), receipts.Select(r => r.GetProperty("version").GetInt64()));
        Assert.Equal(input["title"]!.GetValue<string>(), changed.GetProperty("incident").GetProperty("title").GetString());
        Assert.Equal(version, changed.GetProperty("incident").GetProperty("version").GetInt64());

        var logKey = VerifierKeys.Parse((await demo.Client.GetStringAsync("/log/keys", TestContext.Current.CancellationToken)).Trim().Split('\n')[0]);
        foreach (var receipt in receipts)
        {
            var opened = FilingReceipts.Open(receipt.GetProperty("note").GetString()!, [logKey]);
            Assert.Equal(receipt.GetProperty("eventId").GetGuid(), opened.EventId);
            Assert.Equal(receipt.GetProperty("eventHash").GetString(), opened.EventHash.ToString());
            Assert.Equal(input["incidentId"]!.GetValue<Guid>(), opened.StreamId);
            Assert.Equal(demo.Node.Services.GetRequiredService<LedgerOptions>().Origin, opened.Origin);
        }
    }

    [Fact]
    public async Task Organisation_commands_answer_with_the_organisations_new_state()
    {
        var id = Guid.NewGuid();
        const string Register = "mutation ($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { __typename ... on OrganisationChanged { organisationId version receipts { eventType } organisation { name country } } } }";
        const string Rename = "mutation ($input: RenameOrganisationInput!, $v: Long) { renameOrganisation(input: $input, expectedVersion: $v) { __typename ... on OrganisationChanged { version organisation { name } } } }";

        var registered = await MutateAsync(Register, Admin, new { input = new { organisationId = id, name = "Acme Robotics", country = "DE", kinds = new[] { "COMPANY" } } }, "registerOrganisation");
        Assert.Equal(id, registered.GetProperty("organisationId").GetGuid());
        Assert.Equal("Acme Robotics", registered.GetProperty("organisation").GetProperty("name").GetString());
        Assert.Equal("organisation.registered", registered.GetProperty("receipts")[0].GetProperty("eventType").GetString());

        var renamed = await MutateAsync(Rename, Admin, new { input = new { organisationId = id, name = "Acme Mobility", reason = "Rebranded" }, v = 1 }, "renameOrganisation");
        Assert.Equal(2, renamed.GetProperty("version").GetInt64());
        Assert.Equal("Acme Mobility", renamed.GetProperty("organisation").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_registers_total_count_follows_a_new_filing()
    {
        const string Count = "{ incidents(first: 1) { totalCount } }";
        async Task<int> TotalAsync() => (await demo.QueryAsync(Count, Admin)).GetProperty("data").GetProperty("incidents").GetProperty("totalCount").GetInt32();

        // Every earlier filing applied, the count is taken and then kept for this state of the register.
        await demo.Node.DemoProjectedAsync();
        var before = await TotalAsync();
        Assert.Equal(before, await TotalAsync());

        await MutateAsync(Report, Northgate, new { input = NewReport() }, "reportIncident");

        // The kept count gives way once the register has applied the filing.
        await IncidentLedger.Testing.Eventually.HoldsAsync(async () => await TotalAsync() == before + 1, "the register's totalCount to count the new incident");
    }

    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_first_result_and_writes_nothing()
    {
        var variables = new { input = NewReport(), key = $"report-{Guid.NewGuid():N}" };
        var first = await MutateAsync(Report, Northgate, variables, "reportIncident");
        var count = await EventCountAsync();

        var again = await MutateAsync(Report, Northgate, variables, "reportIncident");

        Assert.True(again.GetProperty("alreadyApplied").GetBoolean());
        Assert.Equal(first.GetProperty("version").GetInt64(), again.GetProperty("version").GetInt64());
        Assert.Equal(first.GetProperty("receipts").ToString(), again.GetProperty("receipts").ToString());
        Assert.Equal(count, await EventCountAsync());

        // The key names that command: another command under it is refused, naming the argument.
        var other = await MutateAsync(Report, Northgate, new { input = NewReport(), variables.key }, "reportIncident");
        AssertInvalid(other, "idempotencyKey", "idempotency.key_reused");
        Assert.Equal(count, await EventCountAsync());
    }

    [Fact]
    public async Task A_stale_expected_version_is_a_conflict_carrying_the_current_version()
    {
        var input = NewReport();
        var filed = await MutateAsync(Report, Northgate, new { input }, "reportIncident");
        var version = filed.GetProperty("version").GetInt64();
        var count = await EventCountAsync();

        var conflict = await MutateAsync(Amend, Northgate, new { input = FollowUp(input), expectedVersion = version - 1 }, "amendReport");

        Assert.Equal("VersionConflict", conflict.GetProperty("__typename").GetString());
        Assert.Equal("stream.version_conflict", conflict.GetProperty("code").GetString());
        Assert.Equal(version - 1, conflict.GetProperty("expectedVersion").GetInt64());
        Assert.Equal(version, conflict.GetProperty("currentVersion").GetInt64());
        Assert.Equal(input["incidentId"]!.GetValue<Guid>(), conflict.GetProperty("streamId").GetGuid());
        Assert.Equal(count, await EventCountAsync());

        var amended = await MutateAsync(Amend, Northgate, new { input = FollowUp(input), expectedVersion = version }, "amendReport");
        Assert.Equal("IncidentChanged", amended.GetProperty("__typename").GetString());
        Assert.True(amended.GetProperty("version").GetInt64() > version);
    }

    [Theory]
    [InlineData("title", "\"  \"", "input.title", "incident.title_missing")]
    [InlineData("jurisdictions", "[\"Germany\"]", "input.jurisdictions", "incident.jurisdiction_invalid")]
    [InlineData("jurisdictions", "[]", "input.jurisdictions", "incident.jurisdiction_missing")]
    [InlineData("peopleAffected", "-3", "input.peopleAffected", "incident.people_affected_negative")]
    [InlineData("systems", "[]", "input.systems", "incident.system_missing")]
    public async Task Out_of_range_report_input_names_its_field_and_writes_nothing(string field, string value, string path, string code)
    {
        var input = NewReport();
        input[field] = JsonNode.Parse(value);
        var count = await EventCountAsync();

        AssertInvalid(await MutateAsync(Report, Northgate, new { input }, "reportIncident"), path, code);
        Assert.Equal(count, await EventCountAsync());
    }

    [Fact]
    public async Task Out_of_range_values_of_other_commands_name_their_fields()
    {
        var filed = NewReport();
        await MutateAsync(Report, Northgate, new { input = filed }, "reportIncident");
        var id = filed["incidentId"]!.GetValue<Guid>();
        var count = await EventCountAsync();

        var cases = new (string Mutation, string InputType, object Input, string Field, string Code)[]
        {
            ("attachEvidence", "AttachEvidenceInput", new { incidentId = id, sha256 = "not-a-digest", sizeBytes = 10, mediaType = "text/plain", kind = "LOGS", location = "s3://evidence/1" }, "input.sha256", "evidence.hash_invalid"),
            ("attachEvidence", "AttachEvidenceInput", new { incidentId = id, sha256 = new string('a', 64), sizeBytes = 0, mediaType = "text/plain", kind = "LOGS", location = "s3://evidence/1" }, "input.sizeBytes", "evidence.size_invalid"),
            ("recordLoss", "RecordLossInput", new { incidentId = id, lossId = Guid.NewGuid(), deaths = 0, injuries = 1, financialLoss = new { amount = 10, currency = "euro" }, confidence = "ESTIMATED", description = "Treatment costs" }, "input.financialLoss", "money.currency_invalid"),
            ("recordLoss", "RecordLossInput", new { incidentId = id, lossId = Guid.NewGuid(), deaths = 0, injuries = 1, financialLoss = new { amount = -10, currency = "EUR" }, confidence = "ESTIMATED", description = "Treatment costs" }, "input.financialLoss", "money.negative"),
            ("assignAccountability", "AssignAccountabilityInput", new { incidentId = id, assignmentId = Guid.NewGuid(), partyId = DemoIds.Of("org:northgate"), role = "DEPLOYER", basis = "OPERATOR_MISUSE", sharePercent = 150, standing = "PRESUMED", rationale = "r" }, "input.sharePercent", "accountability.share_out_of_range"),
            ("notifyRegulator", "NotifyRegulatorInput", new { incidentId = id, notificationId = Guid.NewGuid(), authority = "MARKET_SURVEILLANCE_AUTHORITY", authorityName = "MHRA", jurisdiction = "Narnia", reportType = "INITIAL" }, "input.jurisdiction", "notification.jurisdiction_invalid"),
            ("registerOrganisation", "RegisterOrganisationInput", new { organisationId = Guid.NewGuid(), name = "Acme", country = "Germany", kinds = new[] { "COMPANY" } }, "input.country", "organisation.country_invalid"),
            ("registerOrganisation", "RegisterOrganisationInput", new { organisationId = Guid.NewGuid(), name = " ", country = "DE", kinds = new[] { "COMPANY" } }, "input.name", "organisation.name_missing"),
        };

        foreach (var (mutation, inputType, value, field, code) in cases)
        {
            var query = $$"""mutation ($input: {{inputType}}!) { {{mutation}}(input: $input) { __typename ... on CommandError { code message } ... on InvalidInput { field } } }""";
            AssertInvalid(await MutateAsync(query, Admin, new { input = value }, mutation), field, code);
        }

        Assert.Equal(count, await EventCountAsync());
    }

    [Fact]
    public async Task Out_of_range_arguments_name_the_argument()
    {
        var count = await EventCountAsync();
        AssertInvalid(await MutateAsync(Report, Northgate, new { input = NewReport(), expectedVersion = -1 }, "reportIncident"), "expectedVersion", "input.expected_version_negative");
        AssertInvalid(await MutateAsync(Report, Northgate, new { input = NewReport(), key = "" }, "reportIncident"), "idempotencyKey", "input.idempotency_key_length");
        AssertInvalid(await MutateAsync(Report, Northgate, new { input = NewReport(), key = new string('k', 201) }, "reportIncident"), "idempotencyKey", "input.idempotency_key_length");
        Assert.Equal(count, await EventCountAsync());
    }

    /// <summary>For every mutation: an input without a required field, or with a malformed identifier, is refused before anything runs, naming the field.</summary>
    [Fact]
    public async Task Every_mutation_refuses_missing_and_malformed_input_naming_the_field()
    {
        var schema = GraphQLInputs.Schema;
        var count = await EventCountAsync();
        foreach (var field in schema.MutationType!.Fields)
        {
            var inputType = (InputObjectType)((NonNullType)field.GetArgument("input")!.Type).OfType;
            var query = $$"""mutation ($input: {{inputType.Name}}!) { {{field.Name}}(input: $input) { __typename } }""";
            var required = inputType.Fields.First(f => f.Type is NonNullType);

            var missing = await demo.QueryAsync(query, Admin, new { input = new Dictionary<string, object?>() });
            AssertRequestError(missing, required.Name);

            var idField = inputType.Fields.First(f => f.Type is NonNullType { OfType: ScalarType { Name: "UUID" } });
            var malformed = await demo.QueryAsync(query, Admin, new { input = new Dictionary<string, object?> { [idField.Name] = "not-a-uuid" } });
            AssertRequestError(malformed, idField.Name);
        }

        Assert.Equal(count, await EventCountAsync());
    }

    [Fact]
    public async Task Callers_without_the_right_get_not_permitted_and_nothing_is_written()
    {
        var input = NewReport();
        await MutateAsync(Report, Northgate, new { input }, "reportIncident");
        var count = await EventCountAsync();

        var outsider = await MutateAsync(Amend, Voltaro, new { input = FollowUp(input) }, "amendReport");
        Assert.Equal("NotPermitted", outsider.GetProperty("__typename").GetString());
        Assert.Equal("report.not_reporting_organisation", outsider.GetProperty("code").GetString());

        var auditor = await MutateAsync(Amend, Auditor, new { input = FollowUp(input) }, "amendReport");
        Assert.Equal("NotPermitted", auditor.GetProperty("__typename").GetString());

        var anonymous = await demo.QueryAsync(Amend, null, new { input = FollowUp(input) });
        Assert.Equal("UNAUTHENTICATED", anonymous.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(count, await EventCountAsync());
    }

    [Fact]
    public async Task A_rule_of_the_current_state_is_a_rule_violation_with_a_remedy()
    {
        var input = NewReport();
        await MutateAsync(Report, Northgate, new { input }, "reportIncident");
        var count = await EventCountAsync();

        var reopen = await MutateAsync(
            "mutation ($input: ReopenIncidentInput!) { reopenIncident(input: $input) { __typename ... on CommandError { code message } ... on RuleViolated { remedy } } }",
            Northgate, new { input = new { incidentId = input["incidentId"], reason = "New evidence" } }, "reopenIncident");

        Assert.Equal("RuleViolated", reopen.GetProperty("__typename").GetString());
        Assert.Equal("incident.not_closed", reopen.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(reopen.GetProperty("remedy").GetString()));
        Assert.Equal(count, await EventCountAsync());

        var again = await MutateAsync(Report, Northgate, new { input }, "reportIncident");
        Assert.Equal("RuleViolated", again.GetProperty("__typename").GetString());
        Assert.Equal("incident.already_reported", again.GetProperty("code").GetString());
    }

    private static JsonObject NewReport() => GraphQLInputs.NewReport(Northgate);

    // A variable's value as the engine coerces it for the resolver (enums bound to the domain's, UUIDs, dates, decimals).
    private static IReadOnlyDictionary<string, object?> Coerced(JsonElement sent, InputObjectType type)
    {
        var problems = new List<string>();
        var value = IncidentLedger.GraphQL.Execution.ValueCoercion.CoerceInputValue(sent, new NonNullType(type), (path, _, message) => problems.Add($"{string.Join('.', path)}: {message}"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return (IReadOnlyDictionary<string, object?>)value!;
    }

    private static object FollowUp(JsonObject report) => new { incidentId = report["incidentId"], reportType = "FOLLOW_UP", summary = "Root cause found in the triage thresholds." };

    private async Task<JsonElement> MutateAsync(string query, Actor actor, object variables, string field)
    {
        var response = await demo.QueryAsync(query, actor, variables);
        Assert.False(response.TryGetProperty("errors", out var errors), errors.ToString());
        return response.GetProperty("data").GetProperty(field);
    }

    private static void AssertInvalid(JsonElement result, string field, string code)
    {
        Assert.Equal("InvalidInput", result.GetProperty("__typename").GetString());
        Assert.Equal(field, result.GetProperty("field").GetString());
        Assert.Equal(code, result.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetString()));
    }

    private static void AssertRequestError(JsonElement response, string field)
    {
        Assert.False(response.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object, response.ToString());
        var message = response.GetProperty("errors")[0].GetProperty("message").GetString()!;
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    private async Task<long> EventCountAsync()
    {
        await using var connection = await demo.Node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"select count(*) from {demo.Node.Schema}.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
