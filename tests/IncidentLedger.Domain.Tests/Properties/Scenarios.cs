using FsCheck;
using FsCheck.Fluent;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Tests.Properties;

/// <summary>One step of a generated incident history: a command and how many hours after the previous step it comes.</summary>
public sealed record Step(int Hours, Func<int, DateTimeOffset, IIncidentCommand> Make, string Name)
{
    public override string ToString() => $"+{Hours}h {Name}";
}

/// <summary>A generated history: an initial report and steps; applying it keeps only the commands the decider accepts.</summary>
public sealed record Scenario(ReportIncident Report, IReadOnlyList<Step> Steps)
{
    public override string ToString() => $"{Report.Classification.Level} {string.Join(",", Report.Classification.EuCriteria)} by {Report.ReporterRole}: {string.Join(" | ", Steps)}";

    /// <summary>Runs the scenario, calling <paramref name="afterEach"/> with the state after every accepted command.</summary>
    public IReadOnlyList<IIncidentEvent> Run(Action<Incident, IReadOnlyList<IIncidentEvent>>? afterEach = null)
    {
        var events = new List<IIncidentEvent>();
        var state = IncidentDecider.Initial;
        var now = Report.Now;
        Apply(Report);
        for (var i = 0; i < Steps.Count; i++)
        {
            now = now.AddHours(Steps[i].Hours);
            Apply(Steps[i].Make(i, now));
        }

        return events;

        void Apply(IIncidentCommand command)
        {
            IReadOnlyList<IIncidentEvent> produced;
            try
            {
                produced = IncidentDecider.Decide(command, state);
            }
            catch (RuleViolation)
            {
                return;
            }

            foreach (var e in produced)
            {
                state = IncidentDecider.Evolve(state, e);
            }

            events.AddRange(produced);
            afterEach?.Invoke(state, produced);
        }
    }
}

/// <summary>Generators of incident histories that exercise classification, notification, deadlines and accountability.</summary>
public static class Scenarios
{
    private static readonly (Guid Org, Actor Actor)[] Parties =
    [
        (F.ProviderOrg, F.Provider), (F.DeployerOrg, F.Deployer), (F.OutsiderOrg, F.Outsider), (F.ModelProviderOrg, F.ModelProvider),
    ];

    // Weighted towards notifications that can meet a clock, so every outcome occurs often.
    private static readonly Recipient[] Recipients = [Recipient.MarketSurveillanceAuthority, Recipient.MarketSurveillanceAuthority, Recipient.AiOffice, Recipient.DataProtectionAuthority, Recipient.Provider];

    private static readonly ReportType[] NotifiedTypes = [ReportType.Initial, ReportType.Initial, ReportType.Initial, ReportType.FollowUp, ReportType.Final, ReportType.CombinedInitialFinal];

    /// <summary>A classification that agrees with itself: criteria only for serious levels, with the harms they need.</summary>
    public static Gen<Classification> Classification =>
        from level in Gen.Elements(Enum.GetValues<OecdLevel>())
        from criteria in Gen.Elements<EuCriterion[]>(
            [], [EuCriterion.SeriousHarmToHealth], [EuCriterion.Death], [EuCriterion.FundamentalRightsInfringement], [EuCriterion.SeriousPropertyOrEnvironmentalHarm],
            [EuCriterion.CriticalInfrastructureDisruption], [EuCriterion.Death, EuCriterion.SeriousHarmToHealth], [EuCriterion.WidespreadInfringement, EuCriterion.FundamentalRightsInfringement])
        from extra in Gen.SubListOf([HarmType.Economic, HarmType.ModelTheft, HarmType.CyberAttack, HarmType.Disinformation, HarmType.Privacy])
        let kept = level >= OecdLevel.SeriousIncident ? criteria.ToArray() : []
        let harms = kept.Select(Needed).Append(HarmType.Physical).Concat(extra).Distinct().ToArray()
        select new Classification(level, kept, harms);

    private static HarmType Needed(EuCriterion criterion) => criterion switch
    {
        EuCriterion.CriticalInfrastructureDisruption => HarmType.CriticalInfrastructure,
        EuCriterion.FundamentalRightsInfringement => HarmType.Privacy,
        EuCriterion.SeriousPropertyOrEnvironmentalHarm => HarmType.Property,
        _ => HarmType.Physical,
    };

    private static Gen<Step> Steps(int hoursMax) => Gen.Frequency(
        (2, from h in Hours(hoursMax)
        from c in Classification
        select new Step(h, (_, t) => new AssessSeverity(F.IncidentId, c, null, "Reassessed on new facts.", F.RegulatorDe, t), $"assess {c.Level}")),
        (4, from h in Hours(hoursMax)
        from r in Gen.Elements(Recipients)
        from type in Gen.Elements(NotifiedTypes)
        select new Step(h, (i, t) => r == Recipient.Provider
            ? new NotifyProvider(F.IncidentId, F.Id(5000 + i), F.ProviderOrg, type, null, F.Deployer, t)
            : new NotifyRegulator(F.IncidentId, F.Id(5000 + i), r, "Authority", r == Recipient.AiOffice ? "EU" : "DE", type, null, F.Provider, t), $"notify {r} {type}")),
        (1, from h in Hours(hoursMax)
        select new Step(h, (_, t) => new CheckReportingClocks(F.IncidentId, F.Admin, t), "check")),
        (1, from h in Hours(hoursMax)
        from type in Gen.Elements(ReportType.FollowUp, ReportType.Final, ReportType.FinalNonReportable)
        from c in Classification
        select new Step(h, (_, t) => new AmendReport(F.IncidentId, type, "Update", new IncidentRevision(Classification: c), type == ReportType.FinalNonReportable ? "Not an AI incident." : null, F.Provider, t), $"amend {type}")),
        (1, from h in Hours(hoursMax)
        select new Step(h, (_, t) => new CloseIncident(F.IncidentId, IncidentResolution.Resolved, "Done", F.RegulatorDe, t), "close")),
        (1, from h in Hours(hoursMax)
        select new Step(h, (_, t) => new ReopenIncident(F.IncidentId, "New facts", F.RegulatorDe, t), "reopen")),
        (5, from h in Hours(hoursMax)
        from p in Gen.Choose(0, Parties.Length - 1)
        from role in Gen.Elements(PartyRole.Provider, PartyRole.Deployer, PartyRole.Developer)
        from share in Gen.Choose(1, 100)
        from slot in Gen.Choose(0, 2)
        select new Step(h, (_, t) => new AssignAccountability(F.IncidentId, AssignmentId(p, slot), Parties[p].Org, role, AccountabilityBasis.DesignDefect, share, AccountabilityStanding.Presumed, "Presumed", F.RegulatorDe, t), $"assign {p}/{slot} {share}%")),
        (4, from h in Hours(hoursMax)
        from p in Gen.Choose(0, Parties.Length - 1)
        from slot in Gen.Choose(0, 2)
        from verb in Gen.Choose(0, 2)
        select new Step(h, (_, t) => verb switch
        {
            0 => new WithdrawAccountability(F.IncidentId, AssignmentId(p, slot), "Withdrawn", F.RegulatorDe, t),
            1 => new DisputeAccountability(F.IncidentId, AssignmentId(p, slot), "Not us", null, Parties[p].Actor, t),
            _ => new AcknowledgeAccountability(F.IncidentId, AssignmentId(p, slot), "Accepted", Parties[p].Actor, t),
        }, $"respond {verb} to {p}/{slot}")),
        (1, from h in Hours(hoursMax)
        from shares in Gen.ListOf(Gen.Choose(1, 60), 3)
        from n in Gen.Choose(0, 3)
        select new Step(h, (i, t) => new AdjudicateAccountability(
            F.IncidentId, F.Id(7000 + i), AdjudicationForum.Regulator, "Decision",
            shares.Take(n).Select((s, k) => new AdjudicatedShare(Parties[k].Org, PartyRole.Provider, AccountabilityBasis.DesignDefect, s)).ToArray(),
            "Decided", F.RegulatorDe, t), $"adjudicate {string.Join("+", shares.Take(n))}")));

    private static Gen<int> Hours(int max) => Gen.Frequency((3, Gen.Choose(0, 24)), (1, Gen.Choose(0, max)));

    /// <summary>Assignment ids belong to a party, so responses reach the assignment of the party that responds.</summary>
    private static Guid AssignmentId(int party, int slot) => F.Id(6000 + (party * 10) + slot);

    public static Gen<Scenario> Scenario(int maxSteps = 30, int hoursMax = 240) =>
        from classification in Classification
        from deployer in Gen.Elements(false, true)
        from gpai in Gen.Elements(false, true)
        from awareHoursBefore in Gen.Choose(0, 24)
        from count in Gen.Choose(0, maxSteps)
        from steps in Gen.ListOf(Steps(hoursMax), count)
        select new Scenario(
            F.Report(
                classification,
                systems: [gpai ? F.ChatbotOnGpai with { Tier = EuRiskTier.High } : F.HighRiskSystem],
                reporterRole: deployer ? ReporterRole.Deployer : ReporterRole.Provider,
                actor: deployer ? F.Deployer : F.Provider,
                becameAwareAt: F.T0.AddHours(-awareHoursBefore),
                occurredAt: F.T0.AddHours(-awareHoursBefore - 1),
                now: F.T0),
            steps.ToArray());

    public static Arbitrary<Scenario> Arbitrary => Scenario().ToArbitrary();

    public static Config Config => Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true);
}
