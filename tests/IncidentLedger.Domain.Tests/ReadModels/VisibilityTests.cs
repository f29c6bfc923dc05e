using IncidentLedger.Domain.ReadModels;

namespace IncidentLedger.Domain.Tests.ReadModels;

public class VisibilityTests
{
    private static string[] Visible(Actor actor) =>
        Visibility.Incidents(actor, DemoLedger.View).Select(i => DemoLedger.Data.Ids.Single(kv => kv.Value == i.IncidentId).Key).Order().ToArray();

    private static Actor As(ActorRole role, string org, params string[] jurisdictions) => new("someone", DemoLedger.Id(org), role, jurisdictions);

    [Fact]
    public void A_regulator_sees_the_incidents_in_its_jurisdictions() =>
        Assert.Equal(["incident:compute-hijack", "incident:dismissals", "incident:driver-assistance", "incident:stop-sign", "incident:voice-assistant"], Visible(As(ActorRole.Regulator, "org:ai-office", "EU")));

    [Fact]
    public void A_national_regulator_sees_only_its_own_country() =>
        Assert.Equal(["incident:bank-run", "incident:face-swap"], Visible(As(ActorRole.Regulator, "org:cac", "CN")));

    [Fact]
    public void An_operator_sees_the_incidents_its_organisation_takes_part_in() =>
        Assert.Equal(["incident:companion-chatbot"], Visible(As(ActorRole.Operator, "org:lumen")));

    [Fact]
    public void An_insurer_sees_the_incidents_of_the_parties_and_systems_it_covers() =>
        Assert.Equal(["incident:compute-hijack", "incident:driver-assistance", "incident:stop-sign"], Visible(As(ActorRole.Insurer, "org:rheinland")));

    [Fact]
    public void An_auditor_sees_no_incident_content() =>
        Assert.Empty(Visible(As(ActorRole.Auditor, "org:ledger")));

    [Fact]
    public void An_insurer_sees_only_the_policies_it_wrote() =>
        Assert.Equal(2, Visibility.Policies(As(ActorRole.Insurer, "org:pacific"), DemoLedger.View).Count());
}
