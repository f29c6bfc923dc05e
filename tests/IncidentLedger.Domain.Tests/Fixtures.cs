using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Tests;

/// <summary>Shared parties, systems and a standard report; events are produced by the deciders themselves.</summary>
public static class F
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly Guid IncidentId = Guid.Parse("a0000000-0000-0000-0000-000000000001");
    public static readonly Guid OtherIncidentId = Guid.Parse("a0000000-0000-0000-0000-000000000002");
    public static readonly Guid ProviderOrg = Guid.Parse("b0000000-0000-0000-0000-000000000001");
    public static readonly Guid DeployerOrg = Guid.Parse("b0000000-0000-0000-0000-000000000002");
    public static readonly Guid OutsiderOrg = Guid.Parse("b0000000-0000-0000-0000-000000000003");
    public static readonly Guid InsurerOrg = Guid.Parse("b0000000-0000-0000-0000-000000000004");
    public static readonly Guid RegulatorOrg = Guid.Parse("b0000000-0000-0000-0000-000000000005");
    public static readonly Guid ModelProviderOrg = Guid.Parse("b0000000-0000-0000-0000-000000000006");
    public static readonly Guid SystemId = Guid.Parse("c0000000-0000-0000-0000-000000000001");
    public static readonly Guid FoundationModelId = Guid.Parse("c0000000-0000-0000-0000-000000000002");
    public static readonly Guid PolicyId = Guid.Parse("d0000000-0000-0000-0000-000000000001");

    public static Guid Id(int n) => new($"e0000000-0000-0000-0000-{n:D12}");

    public static readonly Actor Provider = new("alice@provider.example", ProviderOrg, ActorRole.Operator, []);
    public static readonly Actor Deployer = new("dan@hospital.example", DeployerOrg, ActorRole.Operator, []);
    public static readonly Actor Outsider = new("olga@elsewhere.example", OutsiderOrg, ActorRole.Operator, []);
    public static readonly Actor ModelProvider = new("mo@model.example", ModelProviderOrg, ActorRole.Operator, []);
    public static readonly Actor Insurer = new("ivy@insurer.example", InsurerOrg, ActorRole.Insurer, []);
    public static readonly Actor Auditor = new("aud@audit.example", OutsiderOrg, ActorRole.Auditor, []);
    public static readonly Actor RegulatorDe = new("msa@bnetza.example", RegulatorOrg, ActorRole.Regulator, ["DE"]);
    public static readonly Actor RegulatorFr = new("msa@fr.example", RegulatorOrg, ActorRole.Regulator, ["FR"]);
    public static readonly Actor AiOffice = new("office@ai-office.example", RegulatorOrg, ActorRole.Regulator, ["EU"]);
    public static readonly Actor RegulatorCn = new("cac@cac.example", RegulatorOrg, ActorRole.Regulator, ["CN"]);
    public static readonly Actor Admin = new("root@ledger.example", OutsiderOrg, ActorRole.Admin, []);

    public static readonly InvolvedSystem HighRiskSystem = new(SystemId, "TriageAssist", "2.1.0", ProviderOrg, [DeployerOrg], EuRiskTier.High);

    public static readonly InvolvedSystem ChatbotOnGpai = new(SystemId, "CompanionChat", "5.0", ProviderOrg, [DeployerOrg], EuRiskTier.Limited, FoundationModelId, EuRiskTier.GpaiSystemicRisk);

    public static Classification Serious(params HarmType[] harms) =>
        new(OecdLevel.SeriousIncident, [EuCriterion.SeriousHarmToHealth], harms.Length == 0 ? [HarmType.Physical] : harms);

    public static Classification Classified(OecdLevel level, EuCriterion[] criteria, params HarmType[] harms) => new(level, criteria, harms);

    /// <summary>A provider reports a serious incident in Germany involving a high-risk system, two hours after becoming aware.</summary>
    public static ReportIncident Report(
        Classification? classification = null,
        IReadOnlyList<string>? jurisdictions = null,
        IReadOnlyList<InvolvedSystem>? systems = null,
        ReporterRole reporterRole = ReporterRole.Provider,
        Actor? actor = null,
        DateTimeOffset? occurredAt = null,
        DateTimeOffset? becameAwareAt = null,
        DateTimeOffset? now = null,
        ReportType reportType = ReportType.Initial,
        string title = "Triage assistant downgraded a stroke patient",
        Sector sector = Sector.Healthcare,
        int? peopleAffected = 1) =>
        new(
            IncidentId,
            title,
            "The triage assistant assigned a low priority to a patient with stroke symptoms; treatment was delayed by four hours.",
            occurredAt ?? T0.AddHours(-3),
            becameAwareAt ?? T0,
            jurisdictions ?? ["DE"],
            systems ?? [HighRiskSystem],
            sector,
            classification ?? Serious(),
            peopleAffected,
            reporterRole,
            new CausalLink(CausalRelation.DirectCause, "The model's output set the queue priority without review.", LifecycleStage.OperationMonitoring, RiskOrigin.Endogenous),
            new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.High),
            actor ?? Provider,
            now ?? T0.AddHours(2),
            reportType);

    /// <summary>The events the decider produces for a report (the standard one unless given).</summary>
    public static IIncidentEvent[] Reported(ReportIncident? report = null) =>
        [.. IncidentDecider.Decide(report ?? Report(), IncidentDecider.Initial)];

    /// <summary>Runs commands in order through the decider, returning all events.</summary>
    public static IIncidentEvent[] Run(params IIncidentCommand[] commands)
    {
        var events = new List<IIncidentEvent>();
        var state = IncidentDecider.Initial;
        foreach (var command in commands)
        {
            foreach (var e in IncidentDecider.Decide(command, state))
            {
                events.Add(e);
                state = IncidentDecider.Evolve(state, e);
            }
        }

        return [.. events];
    }

    public static Incident Fold(IEnumerable<IIncidentEvent> events) => events.Aggregate(IncidentDecider.Initial, IncidentDecider.Evolve);

    public static IncidentFile FileOf(IEnumerable<IIncidentEvent> events) => Fold(events).FileOrDefault!;
}
