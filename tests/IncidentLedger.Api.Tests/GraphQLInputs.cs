using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IncidentLedger.Api.GraphQL;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.Api.Tests;

/// <summary>Mutation inputs in GraphQL's shape, made from the domain's demo commands.</summary>
public static class GraphQLInputs
{
    /// <summary>The served schema.</summary>
    public static Schema Schema { get; } = LogGraph.BuildSchema();

    /// <summary>
    /// A demo report by <paramref name="reporter"/>'s organisation, as a new incident that became known
    /// <paramref name="awareFor"/> ago (an hour by default), optionally in other jurisdictions.
    /// </summary>
    public static JsonObject NewReport(Actor reporter, TimeSpan? awareFor = null, IReadOnlyList<string>? jurisdictions = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        var now = DateTimeOffset.UtcNow;
        var aware = now - (awareFor ?? TimeSpan.FromHours(1));
        var demoReport = DemoDataSet.Build(now.AddDays(-200)).Steps.Select(s => s.Command).OfType<ReportIncident>().First(r => r.Actor.OrganisationId == reporter.OrganisationId);
        var report = demoReport with
        {
            IncidentId = Guid.NewGuid(),
            Title = $"{demoReport.Title} ({Guid.NewGuid():N})",
            OccurredAt = aware.AddHours(-1),
            BecameAwareAt = aware,
            Jurisdictions = jurisdictions ?? demoReport.Jurisdictions,
        };
        return CommandInput.ToInput(report);
    }

    /// <summary>Any value in GraphQL's input shape (enums in upper snake case).</summary>
    public static JsonNode? Of(object value) => JsonSerializer.SerializeToNode(value, GraphQLJson);

    private static readonly JsonSerializerOptions GraphQLJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };
}
