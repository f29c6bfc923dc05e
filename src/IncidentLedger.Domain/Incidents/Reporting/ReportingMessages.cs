using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

/// <summary>File the initial (or combined initial and final) report of an incident.</summary>
public sealed record ReportIncident(
    Guid IncidentId,
    string Title,
    string Description,
    DateTimeOffset OccurredAt,
    DateTimeOffset BecameAwareAt,
    IReadOnlyList<string> Jurisdictions,
    IReadOnlyList<InvolvedSystem> Systems,
    Sector Sector,
    Classification Classification,
    int? PeopleAffected,
    ReporterRole ReporterRole,
    CausalLink CausalLink,
    SeverityGrade? InitialSeverity,
    Actor Actor,
    DateTimeOffset Now,
    ReportType ReportType = ReportType.Initial) : IIncidentCommand;

/// <summary>An incident was reported: what happened, when the reporter became aware, where, which systems, how it is classified.</summary>
public sealed record IncidentReported(
    Guid IncidentId,
    string Title,
    string Description,
    DateTimeOffset OccurredAt,
    DateTimeOffset BecameAwareAt,
    DateTimeOffset ReportedAt,
    IReadOnlyList<string> Jurisdictions,
    IReadOnlyList<InvolvedSystem> Systems,
    Sector Sector,
    Classification Classification,
    int? PeopleAffected,
    ReporterRole ReporterRole,
    CausalLink CausalLink,
    SeverityGrade? InitialSeverity,
    ReportType ReportType,
    Guid ReportingOrganisationId,
    string ReportedBy) : IIncidentEvent;

/// <summary>File a follow-up, final, or final non-reportable report (Art. 73(5)), optionally revising the incident's details.</summary>
public sealed record AmendReport(
    Guid IncidentId,
    ReportType ReportType,
    string Summary,
    IncidentRevision? Revision,
    string? NonReportableRationale,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

/// <summary>A follow-up or final report was filed; <see cref="Revision"/> holds what it changed.</summary>
public sealed record ReportAmended(
    Guid IncidentId,
    int ReportNumber,
    ReportType ReportType,
    string Summary,
    IncidentRevision? Revision,
    string? NonReportableRationale,
    DateTimeOffset AmendedAt,
    Guid AmendedByOrganisationId,
    string AmendedBy) : IIncidentEvent;

/// <summary>Record an artifact by its SHA-256 (the evidence hold of Art. 73(6)); the content stays outside the ledger.</summary>
public sealed record AttachEvidence(
    Guid IncidentId,
    string Sha256,
    long SizeBytes,
    string MediaType,
    EvidenceKind Kind,
    string Location,
    string? Description,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record EvidenceAttached(
    Guid IncidentId,
    string Sha256,
    long SizeBytes,
    string MediaType,
    EvidenceKind Kind,
    string Location,
    string? Description,
    DateTimeOffset AttachedAt,
    Guid AttachedByOrganisationId,
    string AttachedBy) : IIncidentEvent;

/// <summary>Assess (or reassess) severity: ladder level, EU criteria, harm types and CAICT grade. Recomputes the reporting clocks.</summary>
public sealed record AssessSeverity(
    Guid IncidentId,
    Classification Classification,
    SeverityGrade? Grade,
    string Rationale,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record SeverityAssessed(
    Guid IncidentId,
    Classification Classification,
    SeverityGrade? Grade,
    string Rationale,
    DateTimeOffset AssessedAt,
    string AssessedBy,
    ActorRole AssessedByRole,
    Guid AssessedByOrganisationId) : IIncidentEvent;

/// <summary>Record a risk assessment made in the light of the incident.</summary>
public sealed record RecordRiskAssessment(
    Guid IncidentId,
    Guid AssessmentId,
    RiskFramework Framework,
    Likelihood Likelihood,
    Impact Impact,
    RiskOrigin Origin,
    RiskScope Scope,
    bool SystemAssessmentAdequate,
    string Notes,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record RiskAssessmentRecorded(
    Guid IncidentId,
    Guid AssessmentId,
    RiskFramework Framework,
    Likelihood Likelihood,
    Impact Impact,
    RiskOrigin Origin,
    RiskScope Scope,
    bool SystemAssessmentAdequate,
    string Notes,
    DateTimeOffset AssessedAt,
    Guid AssessedByOrganisationId,
    string AssessedBy) : IIncidentEvent;

/// <summary>Link the incident to another incident, or to the same event in an outside database.</summary>
public sealed record LinkIncident(
    Guid IncidentId,
    LinkKind Kind,
    Guid? TargetIncidentId,
    ExternalDatabase? Database,
    string? ExternalId,
    string? Url,
    string? Note,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record IncidentLinked(
    Guid IncidentId,
    LinkKind Kind,
    Guid? TargetIncidentId,
    ExternalDatabase? Database,
    string? ExternalId,
    string? Url,
    string? Note,
    DateTimeOffset LinkedAt,
    string LinkedBy) : IIncidentEvent;

public sealed record CloseIncident(
    Guid IncidentId,
    IncidentResolution Resolution,
    string Summary,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record IncidentClosed(
    Guid IncidentId,
    IncidentResolution Resolution,
    string Summary,
    DateTimeOffset ClosedAt,
    string ClosedBy,
    ActorRole ClosedByRole) : IIncidentEvent;

public sealed record ReopenIncident(
    Guid IncidentId,
    string Reason,
    Actor Actor,
    DateTimeOffset Now) : IIncidentCommand;

public sealed record IncidentReopened(
    Guid IncidentId,
    string Reason,
    DateTimeOffset ReopenedAt,
    string ReopenedBy,
    ActorRole ReopenedByRole) : IIncidentEvent;
