using IncidentLedger.Domain.Crosswalks;

namespace IncidentLedger.Domain.Tests.Crosswalks;

public class CrosswalkTests
{
    private static RuleDataException LoadFails(string file, string from, string to)
    {
        var json = RuleData.Read(file);
        Assert.Contains(from, json, StringComparison.Ordinal);
        return Assert.Throws<RuleDataException>(() => CrosswalkCatalogue.Load([(file, json.Replace(from, to, StringComparison.Ordinal))]));
    }

    [Fact]
    public void The_OECD_framework_has_29_criteria_of_which_7_are_mandatory()
    {
        var oecd = CrosswalkCatalogue.Default[CrosswalkCatalogue.OecdCrf];
        Assert.Equal((29, 7), (oecd.Fields.Count(), oecd.Fields.Count(f => f.Mandatory)));
        Assert.Equal(["title", "description", "date_of_occurrence", "location", "event_type", "harm_types", "ai_system"], oecd.Fields.Where(f => f.Mandatory).Select(f => f.Id));
    }

    [Fact]
    public void The_EU_template_has_the_eight_sections_of_the_draft_template() =>
        Assert.Equal(8, CrosswalkCatalogue.Default[CrosswalkCatalogue.EuArt73].Sections.Count);

    [Fact]
    public void Every_crosswalk_field_reads_a_known_ledger_field() =>
        Assert.All(CrosswalkCatalogue.Default.Definitions.SelectMany(d => d.Fields), f => Assert.True(CrosswalkSources.All.ContainsKey(f.Source), f.Source));

    [Fact]
    public void A_field_reading_an_unknown_ledger_field_fails_to_load() =>
        Assert.Contains(LoadFails("crosswalk.avid.json", "\"source\": \"avid.sep_view\"", "\"source\": \"avid.sep\"").Problems, p => p.Contains("avid.sep", StringComparison.Ordinal));

    [Fact]
    public void A_repeated_field_fails_to_load() =>
        LoadFails("crosswalk.avid.json", "\"id\": \"metrics\"", "\"id\": \"references\"");

    [Fact]
    public void A_section_without_fields_fails_to_load() =>
        LoadFails("crosswalk.eu-art73.json", "\"fields\": [\n        { \"id\": \"measures\", \"label\": \"Corrective measures taken or planned\", \"source\": \"corrective.actions\" }\n      ]", "\"fields\": []");

    [Fact]
    public void The_completeness_score_counts_filled_fields_and_names_the_missing_ones()
    {
        var report = CrosswalkRenderer.Render(CrosswalkCatalogue.OecdCrf, DemoLedger.Incident("incident:stop-sign"), DemoLedger.View);
        Assert.Equal((21, 29, 72.4m, 100m), (report.Filled, report.Total, report.Completeness, report.MandatoryCompleteness));
        Assert.Equal(["serious_criteria", "harm_quantification", "affected_stakeholders", "deployer", "data_issues", "foundation_model", "responsible_actors", "authority_notified"], report.Missing);
        Assert.Empty(report.MissingMandatory);
        Assert.Equal("serious_hazard", report.Fields.Single(f => f.Id == "event_type").Value);
    }

    [Fact]
    public void The_AVID_view_is_derived_through_the_taxonomy_mappings()
    {
        var report = CrosswalkRenderer.Render(CrosswalkCatalogue.Avid, DemoLedger.Incident("incident:compute-hijack"), DemoLedger.View);
        Assert.Equal("P0403; S0100; S0502", report.Fields.Single(f => f.Id == "sep_view").Value);
        Assert.Equal("Performance; Security", report.Fields.Single(f => f.Id == "risk_domain").Value);
        Assert.Equal("L06", report.Fields.Single(f => f.Id == "lifecycle_view").Value);
        Assert.Null(report.Fields.Single(f => f.Id == "metrics").Value);
    }

    [Fact]
    public void The_AVID_document_has_the_shape_of_an_AVID_report()
    {
        var document = CrosswalkRenderer.AvidDocument(DemoLedger.Incident("incident:bank-run"), DemoLedger.View);
        Assert.Equal("AVID", (string?)document["data_type"]);
        Assert.Equal("QuickNews Writer 1.6", (string?)document["affects"]!["artifacts"]![0]!["name"]);
        Assert.Equal("System", (string?)document["affects"]!["artifacts"]![0]!["type"]);
        Assert.Contains("E0402: Generative Misinformation", document["impact"]!["avid"]!["sep_view"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("Cyberspace Administration of China", (string?)document["credit"]![0]!["value"]);
        Assert.Equal(DemoLedger.Day(130).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string?)document["reported_date"]);
    }
}
