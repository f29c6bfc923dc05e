using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;
using static IncidentLedger.Domain.Tests.IncidentSpec;

namespace IncidentLedger.Domain.Tests.Incidents;

public class EvidenceAndAssessmentTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static AttachEvidence Evidence(string hash = Hash, long size = 4096, string mediaType = "application/json", Actor? actor = null, string location = "s3://provider-evidence/triage/2026-03-02.jsonl") =>
        new(F.IncidentId, hash, size, mediaType, EvidenceKind.Logs, location, "Inference logs for the affected shift", actor ?? F.Provider, F.T0.AddHours(5));

    [Fact]
    public void Evidence_is_recorded_by_its_hash_size_and_location() =>
        Given(F.Reported()).When(Evidence()).Then(
            new EvidenceAttached(F.IncidentId, Hash, 4096, "application/json", EvidenceKind.Logs, "s3://provider-evidence/triage/2026-03-02.jsonl", "Inference logs for the affected shift", F.T0.AddHours(5), F.ProviderOrg, F.Provider.Subject));

    [Fact]
    public void An_upper_case_hash_is_recorded_in_lower_case() =>
        Assert.Equal(Hash, Assert.IsType<EvidenceAttached>(Given(F.Reported()).When(Evidence(Hash.ToUpperInvariant())).Events[0]).Sha256);

    [Fact]
    public void Attaching_the_same_evidence_again_is_a_no_op() =>
        Given([.. F.Reported(), .. Given(F.Reported()).When(Evidence()).Events]).When(Evidence()).ThenNothing();

    [Fact]
    public void The_same_artifact_cannot_be_recorded_twice_with_different_details() =>
        Given([.. F.Reported(), .. Given(F.Reported()).When(Evidence()).Events]).When(Evidence(location: "elsewhere")).ThenRejected("evidence.hash_already_attached");

    [Fact]
    public void A_hash_that_is_not_SHA_256_is_rejected() =>
        Given(F.Reported()).When(Evidence("abc123")).ThenRejected("evidence.hash_invalid");

    [Fact]
    public void Evidence_of_zero_bytes_is_rejected() =>
        Given(F.Reported()).When(Evidence(size: 0)).ThenRejected("evidence.size_invalid");

    [Fact]
    public void A_malformed_media_type_is_rejected() =>
        Given(F.Reported()).When(Evidence(mediaType: "json")).ThenRejected("evidence.media_type_invalid");

    [Fact]
    public void Evidence_without_a_location_is_rejected() =>
        Given(F.Reported()).When(Evidence(location: " ")).ThenRejected("evidence.location_missing");

    [Fact]
    public void An_evidence_description_over_20000_characters_is_rejected() =>
        Given(F.Reported()).When(Evidence() with { Description = new string('x', 20_001) }).ThenRejected("evidence.description_too_long");

    [Fact]
    public void An_organisation_outside_the_incident_cannot_attach_evidence() =>
        Given(F.Reported()).When(Evidence(actor: F.Outsider)).ThenRejected("incident.not_a_participant");

    [Fact]
    public void An_auditor_cannot_attach_evidence() =>
        Given(F.Reported()).When(Evidence(actor: F.Auditor)).ThenRejected("incident.role_not_permitted");

    [Fact]
    public void A_regulator_of_another_jurisdiction_cannot_attach_evidence() =>
        Given(F.Reported()).When(Evidence(actor: F.RegulatorFr)).ThenRejected("incident.regulator_outside_jurisdiction");

    private static AssessSeverity Assess(Classification classification, Actor? actor = null, string rationale = "Autopsy confirmed the delay was fatal.", DateTimeOffset? now = null) =>
        new(F.IncidentId, classification, new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.VeryHigh), rationale, actor ?? F.RegulatorDe, now ?? F.T0.AddDays(1));

    [Fact]
    public void A_regulator_reclassifying_as_a_death_recomputes_the_clock()
    {
        var assess = Assess(F.Classified(OecdLevel.SeriousIncident, [EuCriterion.Death], HarmType.Physical));
        Given(F.Reported()).When(assess).Then(
            new SeverityAssessed(F.IncidentId, assess.Classification, assess.Grade, assess.Rationale, assess.Now, F.RegulatorDe.Subject, ActorRole.Regulator, F.RegulatorOrg),
            new ReportingClockRecomputed(
                F.IncidentId, "eu-ai-act/art73", "eu-ai-act/art73/death", "2024.1689.1", "Death of a person", "Art. 73(4)", F.T0, F.T0.AddDays(10),
                "eu-ai-act/art73/general", F.T0.AddDays(15), $"reclassified as serious_incident by {F.RegulatorDe.Subject}"));
    }

    [Fact]
    public void Downgrading_below_the_serious_incident_criteria_withdraws_the_running_clock()
    {
        var events = Given(F.Reported()).When(Assess(F.Classified(OecdLevel.Incident, [], HarmType.Physical), rationale: "No lasting harm to health.")).Events;
        Assert.IsType<ReportingClockWithdrawn>(events[1]);
    }

    [Fact]
    public void Upgrading_a_hazard_to_a_serious_incident_starts_a_clock_from_awareness()
    {
        var hazard = F.Reported(F.Report(F.Classified(OecdLevel.Hazard, [], HarmType.Physical)));
        var started = Assert.IsType<ReportingClockStarted>(Given(hazard).When(Assess(F.Serious())).Events[1]);
        Assert.Equal((F.T0, F.T0.AddDays(15)), (started.StartsAt, started.DueAt));
    }

    [Fact]
    public void A_met_clock_stays_met_when_the_incident_is_reclassified()
    {
        var notified = F.Run(F.Report(), NotificationTests.ToMsa(F.T0.AddDays(1)));
        var events = Given(notified).When(Assess(F.Classified(OecdLevel.SeriousIncident, [EuCriterion.Death], HarmType.Physical), now: F.T0.AddDays(2))).Events;
        Assert.IsType<SeverityAssessed>(Assert.Single(events));
        Assert.Equal(ClockStatus.Met, F.FileOf([.. notified, .. events]).Clocks["eu-ai-act/art73"].Status);
    }

    [Fact]
    public void Repeating_the_identical_assessment_is_a_no_op()
    {
        var assess = Assess(F.Serious());
        Given([.. F.Reported(), .. Given(F.Reported()).When(assess).Events]).When(assess).ThenNothing();
    }

    [Fact]
    public void An_assessment_without_a_rationale_is_rejected() =>
        Given(F.Reported()).When(Assess(F.Serious(), rationale: "")).ThenRejected("severity.rationale_missing");

    [Fact]
    public void An_assessment_without_a_classification_is_rejected() =>
        Given(F.Reported()).When(Assess(null!)).ThenRejected("incident.classification_missing");

    [Fact]
    public void An_inconsistent_assessment_is_rejected() =>
        Given(F.Reported()).When(Assess(F.Classified(OecdLevel.SeriousIncident, [EuCriterion.CriticalInfrastructureDisruption], HarmType.Physical))).ThenRejected("incident.criterion_without_harm");

    [Fact]
    public void An_insurer_cannot_assess_severity() =>
        Given(F.Reported()).When(Assess(F.Serious(), F.Insurer)).ThenRejected("incident.role_not_permitted");

    private static RecordRiskAssessment Risk(string notes = "Risk assessment did not consider night-shift staffing.", Actor? actor = null, Impact impact = Impact.Severe) =>
        new(F.IncidentId, F.Id(1), RiskFramework.NistAiRmf, Likelihood.Possible, impact, RiskOrigin.Endogenous, RiskScope.Individual, false, notes, actor ?? F.Provider, F.T0.AddDays(2));

    [Fact]
    public void A_risk_assessment_is_recorded()
    {
        var risk = Risk();
        Given(F.Reported()).When(risk).Then(
            new RiskAssessmentRecorded(F.IncidentId, F.Id(1), RiskFramework.NistAiRmf, Likelihood.Possible, Impact.Severe, RiskOrigin.Endogenous, RiskScope.Individual, false, risk.Notes, risk.Now, F.ProviderOrg, F.Provider.Subject));
    }

    [Fact]
    public void Repeating_a_risk_assessment_is_a_no_op() =>
        Given([.. F.Reported(), .. Given(F.Reported()).When(Risk()).Events]).When(Risk()).ThenNothing();

    [Fact]
    public void Reusing_a_risk_assessment_id_for_different_content_is_rejected() =>
        Given([.. F.Reported(), .. Given(F.Reported()).When(Risk()).Events]).When(Risk(impact: Impact.Minor)).ThenRejected("risk_assessment.id_reused");

    [Fact]
    public void A_risk_assessment_without_notes_is_rejected() =>
        Given(F.Reported()).When(Risk(notes: "")).ThenRejected("risk_assessment.notes_missing");

    [Fact]
    public void An_auditor_cannot_record_a_risk_assessment() =>
        Given(F.Reported()).When(Risk(actor: F.Auditor)).ThenRejected("incident.role_not_permitted");
}
