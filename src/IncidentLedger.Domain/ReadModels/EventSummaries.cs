using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>One sentence per event, for timelines and audit views.</summary>
public static class EventSummaries
{
    public static string Describe(object @event) => @event switch
    {
        OrganisationRegistered e => $"{e.Name} ({e.Country}) registered as {string.Join(", ", e.Kinds.Select(Codes.Of))}",
        OrganisationRenamed e => $"Renamed from {e.PreviousName} to {e.Name}: {e.Reason}",
        AiSystemRegistered e => $"{e.Name} {e.Version} registered ({Codes.Of(e.Tier)} risk, {Codes.Of(e.Sector)}, {Codes.Of(e.Autonomy)})",
        AiSystemVersionReleased e => $"Version {e.Version} released{(e.SubstantialModification ? " (substantial modification)" : "")}: {e.Notes}",
        SupplyChainPartyAdded e => $"{e.OrganisationId} added as {Codes.Of(e.Role)}",
        SupplyChainPartyRemoved e => $"{e.OrganisationId} removed as {Codes.Of(e.Role)}: {e.Reason}",
        AiSystemRiskTierChanged e => $"Risk tier changed from {Codes.Of(e.PreviousTier)} to {Codes.Of(e.Tier)}: {e.Rationale}",
        AiSystemWithdrawn e => $"{(e.Recall ? "Recalled" : "Withdrawn")}: {e.Reason}",
        IncidentReported e => $"Reported as {Codes.Of(e.Classification.Level)} by a {Codes.Of(e.ReporterRole)} ({Codes.Of(e.ReportType)} report): {e.Title}",
        ReportAmended e => $"Report {e.ReportNumber} ({Codes.Of(e.ReportType)}): {e.Summary}",
        EvidenceAttached e => $"Evidence attached: {Codes.Of(e.Kind)}, {e.SizeBytes} bytes, SHA-256 {e.Sha256[..12]}…, held at {e.Location}",
        SeverityAssessed e => $"Severity assessed as {Codes.Of(e.Classification.Level)}{(e.Classification.EuCriteria.Count > 0 ? $" (EU criteria: {string.Join(", ", e.Classification.EuCriteria.Select(Codes.Of))})" : "")}{(e.Grade is null ? "" : $", CAICT {e.Grade}")}",
        RiskAssessmentRecorded e => $"Risk assessment ({Codes.Of(e.Framework)}): {Codes.Of(e.Likelihood)} × {Codes.Of(e.Impact)}, {Codes.Of(e.Origin)} risk; system assessment {(e.SystemAssessmentAdequate ? "adequate" : "inadequate")}",
        RegulatorNotified e => $"{Codes.Of(e.ReportType)} report sent to {e.AuthorityName} ({Codes.Of(e.Authority)}, {e.Jurisdiction}){(e.Reference is null ? "" : $", ref. {e.Reference}")}",
        ProviderNotified e => $"Provider {e.ProviderId} informed ({Codes.Of(e.ReportType)} report)",
        ReportingClockStarted e => $"Reporting clock {e.ClockId} started under {e.RuleId} ({e.Citation}): due {Rule.Stamp(e.DueAt)}",
        ReportingClockRecomputed e => $"Reporting clock {e.ClockId} recomputed under {e.RuleId}: due {Rule.Stamp(e.DueAt)} (was {Rule.Stamp(e.PreviousDueAt)} under {e.PreviousRuleId})",
        ReportingClockMet e => $"Reporting clock {e.ClockId} met {Describe(e.DueAt - e.MetAt)} before the deadline",
        ReportingClockBreached e => $"Reporting clock {e.ClockId} breached: due {Rule.Stamp(e.DueAt)}{(e.LateNotificationId is null ? ", no notification by then" : $", notified {Describe(e.BreachedAt - e.DueAt)} late")}",
        ReportingClockWithdrawn e => $"Reporting clock {e.ClockId} withdrawn: {e.Reason}",
        AccountabilityAssigned e => $"{Rule.Percent(e.SharePercent)} accountability {(e.Standing == AccountabilityStanding.Presumed ? "presumed" : "established")} for {e.PartyId} as {Codes.Of(e.Role)} ({Codes.Of(e.Basis)})",
        AccountabilityAcknowledged e => $"{e.PartyId} acknowledged its accountability",
        AccountabilityDisputed e => $"{e.PartyId} disputed its accountability{(e.ProposedSharePercent is null ? "" : $", proposing {Rule.Percent(e.ProposedSharePercent.Value)}")}: {e.Grounds}",
        AccountabilityWithdrawn e => $"Accountability assignment withdrawn: {e.Reason}",
        AccountabilityAdjudicated e => $"Accountability adjudicated ({Codes.Of(e.Forum)}, {e.DecisionReference}): {string.Join(", ", e.Shares.Select(s => $"{s.PartyId} {Rule.Percent(s.SharePercent)}"))}",
        CorrectiveActionRecorded e => $"Corrective action ({Codes.Of(e.Kind)}, {Codes.Of(e.Status)}): {e.Description}",
        LossRecorded e => $"Loss recorded ({Codes.Of(e.Confidence)}): {e.Deaths} deaths, {e.Injuries} injuries{(e.FinancialLoss is null ? "" : $", {e.FinancialLoss} financial")}{(e.PropertyDamage is null ? "" : $", {e.PropertyDamage} property")}",
        CompensationPaid e => $"Compensation of {e.Amount} paid by a {Codes.Of(e.PayerKind)} to {e.PaidTo}",
        RegulatoryActionTaken e => $"{e.Authority} ({e.Jurisdiction}): {Codes.Of(e.Kind)}{(e.Fine is null ? "" : $" of {e.Fine}")} — {e.Description}",
        IncidentLinked e => e.Kind == LinkKind.SameAsExternal
            ? $"Same event as {Codes.Of(e.Database!.Value)} {e.ExternalId ?? e.Url}"
            : $"{Codes.Of(e.Kind)} incident {e.TargetIncidentId}",
        IncidentClosed e => $"Closed as {Codes.Of(e.Resolution)}: {e.Summary}",
        IncidentReopened e => $"Reopened: {e.Reason}",
        PolicyBound e => $"Policy {e.PolicyNumber} bound: limit {e.Limit}, retention {e.Retention}, {e.CoveredSystems.Count} system(s)",
        PolicyEndorsed e => $"Policy endorsed from {Rule.Stamp(e.EffectiveAt)}: {e.Reason}",
        PolicyLapsed e => $"Policy lapsed ({Codes.Of(e.Reason)}) from {Rule.Stamp(e.EffectiveAt)}",
        _ => @event.GetType().Name,
    };

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days" : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hours" : $"{span.TotalMinutes:0} minutes";
}
