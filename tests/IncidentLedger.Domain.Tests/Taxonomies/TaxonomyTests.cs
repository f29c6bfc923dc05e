using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Tests.Taxonomies;

public class TaxonomyTests
{
    private static IReadOnlyList<(string File, string Json)> Embedded => RuleData.ReadAll("taxonomy.");

    private static RuleDataException LoadFails(params (string File, string Json)[] replaced)
    {
        var files = Embedded.Where(f => replaced.All(r => r.File != f.File)).Concat(replaced).ToArray();
        return Assert.Throws<RuleDataException>(() => TaxonomyCatalogue.Load(files));
    }

    private static string Edit(string file, string from, string to)
    {
        var json = RuleData.Read(file);
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_taxonomies_load_and_cover_every_vocabulary_the_rules_use()
    {
        var catalogue = TaxonomyCatalogue.Default;
        foreach (var (name, type) in TaxonomyCatalogue.Bindings)
        {
            var taxonomy = catalogue.All.Single(t => t.BindsTo == name);
            Assert.Equal(Codes.All(type).Order(), taxonomy.Concrete.Select(t => t.Code).Order());
            Assert.Matches(@"^\d+\.\d+\.\d+$", taxonomy.Version);
        }
    }

    [Fact]
    public void The_required_taxonomies_are_data_with_versions() =>
        Assert.Superset(
            new HashSet<string> { "harm_types", "sectors", "lifecycle_stages", "party_roles", "accountability_bases", "eu_risk_tiers", "caict_grades", "autonomy_classes", "oecd_levels", "eu_criteria" },
            TaxonomyCatalogue.Default.All.Select(t => t.Name).ToHashSet());

    [Fact]
    public void Harm_types_group_fundamental_rights_public_interest_and_security()
    {
        var harms = TaxonomyCatalogue.Default.For<HarmType>();
        Assert.Equal("fundamental_rights", harms.Term("privacy").Parent);
        Assert.Equal("public_interest", harms.Term("disinformation").Parent);
        Assert.Equal("security", harms.Term("model_theft").Parent);
        Assert.Equal("人身伤害", TaxonomyCatalogue.Default.Term(HarmType.Physical).Label.Zh);
    }

    [Fact]
    public void The_OECD_ladder_weights_increase_with_severity()
    {
        var weights = Enum.GetValues<OecdLevel>().Select(TaxonomyCatalogue.Default.Weight).ToArray();
        Assert.Equal(weights.Order(), weights);
        Assert.True(weights[0] > 0);
    }

    [Fact]
    public void A_new_taxonomy_is_added_as_data_without_code()
    {
        const string Cset = """
            { "taxonomy": "cset_harm_levels", "version": "1.0.0", "title": "CSET AI harm levels", "sources": ["CSET"],
              "terms": [ { "code": "ai_tangible_harm_event", "label": { "en": "AI tangible harm event" } }, { "code": "ai_tangible_harm_near_miss", "label": { "en": "Near miss" } } ] }
            """;
        var catalogue = TaxonomyCatalogue.Load([.. Embedded, ("taxonomy.cset.json", Cset)]);
        Assert.Equal(2, catalogue["cset_harm_levels"].Terms.Count);
    }

    [Fact]
    public void A_taxonomy_missing_a_code_the_rules_use_fails_to_load_naming_it()
    {
        var error = LoadFails(("taxonomy.harm-types.json", Edit("taxonomy.harm-types.json", "\"code\": \"model_theft\"", "\"code\": \"weights_theft\"")));
        Assert.Equal("taxonomy.harm-types.json", error.DataFile);
        Assert.Contains(error.Problems, p => p.Contains("model_theft", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("weights_theft", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mapping_to_an_undefined_code_fails_to_load() =>
        Assert.Contains(
            LoadFails(("taxonomy.harm-types.json", Edit("taxonomy.harm-types.json", "\"avid_sep\": [\"P0402\"]", "\"avid_sep\": [\"X9999\"]"))).Problems,
            p => p.Contains("X9999", StringComparison.Ordinal));

    [Fact]
    public void A_parent_that_is_not_a_term_fails_to_load() =>
        Assert.Contains(
            LoadFails(("taxonomy.harm-types.json", Edit("taxonomy.harm-types.json", "\"parent\": \"security\"", "\"parent\": \"safety\""))).Problems,
            p => p.Contains("safety", StringComparison.Ordinal));

    [Fact]
    public void A_repeated_code_fails_to_load() =>
        Assert.Contains(
            LoadFails(("taxonomy.sectors.json", Edit("taxonomy.sectors.json", "\"code\": \"education\"", "\"code\": \"finance\""))).Problems,
            p => p.Contains("finance appears 2 times", StringComparison.Ordinal));

    [Fact]
    public void A_version_that_is_not_semantic_fails_to_load() =>
        LoadFails(("taxonomy.sectors.json", Edit("taxonomy.sectors.json", "\"version\": \"1.0.0\"", "\"version\": \"latest\"")));

    [Fact]
    public void An_unknown_field_fails_to_load_instead_of_being_ignored() =>
        LoadFails(("taxonomy.sectors.json", Edit("taxonomy.sectors.json", "\"title\": \"Sectors\"", "\"title\": \"Sectors\", \"colour\": \"red\"")));

    [Fact]
    public void Malformed_JSON_fails_to_load_naming_the_file() =>
        Assert.Equal("taxonomy.sectors.json", LoadFails(("taxonomy.sectors.json", "{ \"taxonomy\": ")).DataFile);

    [Fact]
    public void A_binding_to_an_unknown_vocabulary_fails_to_load() =>
        LoadFails(("taxonomy.sectors.json", Edit("taxonomy.sectors.json", "\"bindsTo\": \"sector\"", "\"bindsTo\": \"industry\"")));

    [Fact]
    public void Removing_a_taxonomy_the_rules_use_fails_to_load() =>
        Assert.Contains(
            Assert.Throws<RuleDataException>(() => TaxonomyCatalogue.Load(Embedded.Where(f => f.File != "taxonomy.caict-grades.json"))).Problems,
            p => p.Contains("caict_grade", StringComparison.Ordinal));

    [Fact]
    public void Enum_codes_are_snake_case() =>
        Assert.Equal(("gpai_systemic_risk", "human_machine_hybrid", "iso_iec42001"), (Codes.Of(EuRiskTier.GpaiSystemicRisk), Codes.Of(AutonomyClass.HumanMachineHybrid), Codes.Of(Domain.Incidents.RiskFramework.IsoIec42001)));

    [Fact]
    public void Regions_cover_their_members_and_only_them()
    {
        Assert.True(Regions.Covers("EU", "DE"));
        Assert.True(Regions.Covers("DE", "DE"));
        Assert.False(Regions.Covers("EU", "CN"));
        Assert.False(Regions.Covers("DE", "FR"));
        Assert.Equal(27, Regions.All.Single(r => r.Code == "EU").Members.Count);
    }
}
