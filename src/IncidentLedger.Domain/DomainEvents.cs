using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;

namespace IncidentLedger.Domain;

/// <summary>An event type: its stable stored name, CLR type, current schema version and stream type.</summary>
public sealed record EventDescriptor(string Name, Type ClrType, int SchemaVersion, string StreamType);

/// <summary>
/// Every domain event type, in one place, so the event store can register them. Names are stable:
/// renaming a CLR type never changes a stored name; a change of shape raises the schema version
/// (and needs an upcaster in the event store).
/// </summary>
public static class DomainEvents
{
    public static IReadOnlyList<EventDescriptor> All { get; } =
    [
        Of<OrganisationRegistered>("organisation.registered", StreamTypes.Organisation),
        Of<OrganisationRenamed>("organisation.renamed", StreamTypes.Organisation),

        Of<AiSystemRegistered>("ai-system.registered", StreamTypes.AiSystem),
        Of<AiSystemVersionReleased>("ai-system.version_released", StreamTypes.AiSystem),
        Of<SupplyChainPartyAdded>("ai-system.party_added", StreamTypes.AiSystem),
        Of<SupplyChainPartyRemoved>("ai-system.party_removed", StreamTypes.AiSystem),
        Of<AiSystemRiskTierChanged>("ai-system.risk_tier_changed", StreamTypes.AiSystem),
        Of<AiSystemWithdrawn>("ai-system.withdrawn", StreamTypes.AiSystem),

        Of<IncidentReported>("incident.reported", StreamTypes.Incident),
        Of<ReportAmended>("incident.report_amended", StreamTypes.Incident),
        Of<EvidenceAttached>("incident.evidence_attached", StreamTypes.Incident),
        Of<SeverityAssessed>("incident.severity_assessed", StreamTypes.Incident),
        Of<RiskAssessmentRecorded>("incident.risk_assessment_recorded", StreamTypes.Incident),
        Of<RegulatorNotified>("incident.regulator_notified", StreamTypes.Incident),
        Of<ProviderNotified>("incident.provider_notified", StreamTypes.Incident),
        Of<ReportingClockStarted>("incident.reporting_clock_started", StreamTypes.Incident),
        Of<ReportingClockRecomputed>("incident.reporting_clock_recomputed", StreamTypes.Incident),
        Of<ReportingClockMet>("incident.reporting_clock_met", StreamTypes.Incident),
        Of<ReportingClockBreached>("incident.reporting_clock_breached", StreamTypes.Incident),
        Of<ReportingClockWithdrawn>("incident.reporting_clock_withdrawn", StreamTypes.Incident),
        Of<AccountabilityAssigned>("incident.accountability_assigned", StreamTypes.Incident),
        Of<AccountabilityAcknowledged>("incident.accountability_acknowledged", StreamTypes.Incident),
        Of<AccountabilityDisputed>("incident.accountability_disputed", StreamTypes.Incident),
        Of<AccountabilityWithdrawn>("incident.accountability_withdrawn", StreamTypes.Incident),
        Of<AccountabilityAdjudicated>("incident.accountability_adjudicated", StreamTypes.Incident),
        Of<CorrectiveActionRecorded>("incident.corrective_action_recorded", StreamTypes.Incident),
        Of<LossRecorded>("incident.loss_recorded", StreamTypes.Incident),
        Of<CompensationPaid>("incident.compensation_paid", StreamTypes.Incident),
        Of<RegulatoryActionTaken>("incident.regulatory_action_taken", StreamTypes.Incident),
        Of<IncidentLinked>("incident.linked", StreamTypes.Incident),
        Of<IncidentClosed>("incident.closed", StreamTypes.Incident),
        Of<IncidentReopened>("incident.reopened", StreamTypes.Incident),

        Of<PolicyBound>("policy.bound", StreamTypes.Policy),
        Of<PolicyEndorsed>("policy.endorsed", StreamTypes.Policy),
        Of<PolicyLapsed>("policy.lapsed", StreamTypes.Policy),
    ];

    private static readonly Dictionary<Type, EventDescriptor> ByType = All.ToDictionary(e => e.ClrType);
    private static readonly Dictionary<string, EventDescriptor> ByName = All.ToDictionary(e => e.Name, StringComparer.Ordinal);

    public static EventDescriptor Describe(Type clrType) =>
        ByType.TryGetValue(clrType, out var descriptor) ? descriptor : throw new KeyNotFoundException($"{clrType.FullName} is not a domain event type.");

    public static EventDescriptor Describe(object @event) => Describe(@event.GetType());

    public static EventDescriptor? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The stored name of an event, e.g. "incident.reported".</summary>
    public static string NameOf(object @event) => Describe(@event).Name;

    private static EventDescriptor Of<T>(string name, string streamType, int schemaVersion = 1) => new(name, typeof(T), schemaVersion, streamType);
}
