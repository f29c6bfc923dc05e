using System.Text.Json.Nodes;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Crosswalks;

/// <summary>Renders an incident in the OECD common reporting framework, the EU Art. 73 template, or an AVID report.</summary>
public static class CrosswalkRenderer
{
    public static CrosswalkReport Render(string crosswalk, IncidentView incident, LedgerView view) =>
        Render(CrosswalkCatalogue.Default[crosswalk], incident, view);

    public static IReadOnlyList<CrosswalkReport> RenderAll(IncidentView incident, LedgerView view) =>
        CrosswalkCatalogue.Default.Definitions.Select(d => Render(d, incident, view)).ToArray();

    public static CrosswalkReport Render(CrosswalkDefinition definition, IncidentView incident, LedgerView view)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(incident);
        var context = new CrosswalkContext(incident, view);
        var fields = definition.Sections
            .SelectMany(s => s.Fields.Select(f => new CrosswalkField(s.Id, f.Id, f.Label, f.Mandatory, CrosswalkSources.All[f.Source](context))))
            .ToArray();
        var mandatory = fields.Where(f => f.Mandatory).ToArray();
        return new CrosswalkReport(
            definition.Id,
            definition.Version,
            definition.Title,
            incident.IncidentId,
            fields,
            fields.Count(f => f.Filled),
            fields.Length,
            Percent(fields.Count(f => f.Filled), fields.Length),
            mandatory.Count(f => f.Filled),
            mandatory.Length,
            Percent(mandatory.Count(f => f.Filled), mandatory.Length),
            fields.Where(f => !f.Filled).Select(f => f.Id).ToArray(),
            mandatory.Where(f => !f.Filled).Select(f => f.Id).ToArray());
    }

    /// <summary>The incident as an AVID report document (the avidtools Report shape).</summary>
    public static JsonObject AvidDocument(IncidentView incident, LedgerView view)
    {
        var file = incident.File;
        var context = new CrosswalkContext(incident, view);
        return new JsonObject
        {
            ["data_type"] = "AVID",
            ["data_version"] = CrosswalkCatalogue.Default[CrosswalkCatalogue.Avid].Version,
            ["metadata"] = new JsonObject { ["report_id"] = file.Id.ToString() },
            ["affects"] = new JsonObject
            {
                ["developer"] = Array(context.Profiles.Select(p => p.DeveloperId).OfType<Guid>().Select(view.NameOf).Distinct()),
                ["deployer"] = Array(file.Systems.SelectMany(s => s.DeployerIds).Distinct().Select(view.NameOf)),
                ["artifacts"] = new JsonArray(file.Systems.Select(s => (JsonNode)new JsonObject { ["type"] = "System", ["name"] = $"{s.Name} {s.Version}" }).ToArray()),
            },
            ["problemtype"] = new JsonObject
            {
                ["classof"] = "Undefined",
                ["type"] = "Issue",
                ["description"] = new JsonObject { ["lang"] = "eng", ["value"] = file.Title },
            },
            ["references"] = new JsonArray(file.Links.Where(l => l.Url is not null).Select(l => (JsonNode)new JsonObject
            {
                ["type"] = l.Database is { } db ? Codes.Of(db) : Codes.Of(l.Kind),
                ["label"] = l.Note ?? l.ExternalId ?? l.Url,
                ["url"] = l.Url,
            }).ToArray()),
            ["description"] = new JsonObject { ["lang"] = "eng", ["value"] = file.Description },
            ["impact"] = new JsonObject
            {
                ["avid"] = new JsonObject
                {
                    ["risk_domain"] = Array(AvidMapping.RiskDomains(file)),
                    ["sep_view"] = Array(AvidMapping.SepView(file).Select(code => $"{code}: {TaxonomyCatalogue.Default["avid_sep"].Term(code).Label.En}")),
                    ["lifecycle_view"] = Array(AvidMapping.LifecycleView(file).Select(code => $"{code}: {TaxonomyCatalogue.Default["avid_lifecycle"].Term(code).Label.En}")),
                    ["taxonomy_version"] = TaxonomyCatalogue.Default["avid_sep"].Version,
                },
            },
            ["credit"] = new JsonArray(new JsonObject { ["lang"] = "eng", ["value"] = view.NameOf(file.ReportingOrganisationId) }),
            ["reported_date"] = file.ReportedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    private static decimal Percent(int part, int whole) => whole == 0 ? 100m : Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);
}
