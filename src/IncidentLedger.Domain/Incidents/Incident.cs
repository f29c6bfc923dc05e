using System.Text.Json.Serialization;
using System.Collections.Immutable;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

/// <summary>The state of an incident stream: a closed set — not yet reported, open, or closed.</summary>
// Snapshots store the state as JSON, tagged with its case.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "case")]
[JsonDerivedType(typeof(None), "none")]
[JsonDerivedType(typeof(Open), "open")]
[JsonDerivedType(typeof(Closed), "closed")]
public abstract record Incident
{
    private protected Incident()
    {
    }

    [JsonIgnore] // Derived from the case, like the file below: a snapshot stores the case alone.
    public IncidentStatus Status => this switch
    {
        Open => IncidentStatus.Open,
        Closed => IncidentStatus.Closed,
        _ => IncidentStatus.None,
    };

    /// <summary>The incident's file, or null before it is reported.</summary>
    [JsonIgnore]
    public IncidentFile? FileOrDefault => this switch
    {
        Open open => open.File,
        Closed closed => closed.File,
        _ => null,
    };

    /// <summary>Nothing has been reported on this stream.</summary>
    public sealed record None : Incident
    {
        public static None Instance { get; } = new();
    }

    public sealed record Open(IncidentFile File) : Incident;

    public sealed record Closed(IncidentFile File, IncidentClosed Closure) : Incident;

    /// <summary>Applies one event. Events are facts: Evolve never rejects, it only folds.</summary>
    public static Incident Evolve(Incident state, IIncidentEvent @event) => (state, @event) switch
    {
        (None, IncidentReported reported) => new Open(IncidentFile.From(reported)),
        (Open open, IncidentClosed closed) => new Closed(open.File.Counted() with { LastClosure = closed }, closed),
        (Closed closed, IncidentReopened reopened) => new Open(closed.File.Counted() with
        {
            LastReopen = reopened,
            Reopenings = closed.File.Reopenings + 1,
            FinalReportFiled = false,
        }),
        (Open open, _) => new Open(open.File.Apply(@event)),
        (Closed closed, _) => closed with { File = closed.File.Apply(@event) },
        _ => state,
    };
}

/// <summary>One assignment of accountability and where it stands.</summary>
public sealed record AccountabilityAssignment(
    Guid AssignmentId,
    Guid PartyId,
    PartyRole Role,
    AccountabilityBasis Basis,
    decimal SharePercent,
    AccountabilityStanding Standing,
    string Rationale,
    DateTimeOffset AssignedAt,
    string AssignedBy,
    ActorRole AssignedByRole,
    Guid AssignedByOrganisationId,
    AssignmentStatus Status,
    string? Statement = null,
    string? Grounds = null,
    decimal? ProposedSharePercent = null,
    DateTimeOffset? StatusChangedAt = null)
{
    public bool IsActive => Status is AssignmentStatus.Pending or AssignmentStatus.Acknowledged or AssignmentStatus.Disputed;
}

/// <summary>A share of responsibility currently attributed to a party (from active assignments or the latest adjudication).</summary>
public sealed record AttributedShare(Guid PartyId, PartyRole Role, AccountabilityBasis Basis, decimal SharePercent, bool Adjudicated, AssignmentStatus? Status);

/// <summary>A notification sent about the incident: to an authority, or to a provider (Art. 26(5)).</summary>
public sealed record Notification(
    Guid NotificationId,
    Recipient Recipient,
    string RecipientName,
    string? Jurisdiction,
    Guid? ProviderId,
    ReportType ReportType,
    string? Reference,
    DateTimeOffset NotifiedAt,
    Guid NotifiedByOrganisationId);

/// <summary>Everything the ledger knows about a reported incident.</summary>
public sealed record IncidentFile(
    Guid Id,
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
    SeverityGrade? Severity,
    Guid ReportingOrganisationId,
    IncidentReported Original)
{
    /// <summary>Number of events folded into this file.</summary>
    public int Version { get; init; } = 1;

    public ImmutableList<ReportAmended> Amendments { get; init; } = [];

    /// <summary>A final (or combined, or final non-reportable) report is on file: no new clock starts until reopened.</summary>
    public bool FinalReportFiled { get; init; }

    public ImmutableList<EvidenceAttached> Evidence { get; init; } = [];

    public ImmutableList<SeverityAssessed> Assessments { get; init; } = [];

    public ImmutableList<RiskAssessmentRecorded> RiskAssessments { get; init; } = [];

    public ImmutableList<Notification> Notifications { get; init; } = [];

    public ImmutableSortedDictionary<string, ReportingClock> Clocks { get; init; } = ImmutableSortedDictionary.Create<string, ReportingClock>(StringComparer.Ordinal);

    public ImmutableList<AccountabilityAssignment> Assignments { get; init; } = [];

    public ImmutableList<AccountabilityAdjudicated> Adjudications { get; init; } = [];

    /// <summary>The latest state of each corrective action, in the order first recorded.</summary>
    public ImmutableList<CorrectiveActionRecorded> CorrectiveActions { get; init; } = [];

    public ImmutableList<LossRecorded> Losses { get; init; } = [];

    public ImmutableList<CompensationPaid> Payments { get; init; } = [];

    public ImmutableList<RegulatoryActionTaken> RegulatoryActions { get; init; } = [];

    public ImmutableList<IncidentLinked> Links { get; init; } = [];

    public IncidentClosed? LastClosure { get; init; }

    public IncidentReopened? LastReopen { get; init; }

    public int Reopenings { get; init; }

    public AccountabilityAdjudicated? Adjudication => Adjudications.IsEmpty ? null : Adjudications[^1];

    /// <summary>Losses not superseded by a revised estimate.</summary>
    public IEnumerable<LossRecorded> CurrentLosses =>
        Losses.Where(l => !Losses.Any(other => other.Supersedes == l.LossId));

    /// <summary>Shares attributed now: the latest adjudication's, or else the active assignments'.</summary>
    public IReadOnlyList<AttributedShare> CurrentShares =>
        Adjudication is { } adjudication
            ? adjudication.Shares.Select(s => new AttributedShare(s.PartyId, s.Role, s.Basis, s.SharePercent, true, null)).ToArray()
            : Assignments.Where(a => a.IsActive).Select(a => new AttributedShare(a.PartyId, a.Role, a.Basis, a.SharePercent, false, a.Status)).ToArray();

    public decimal ActiveShareTotal => Assignments.Where(a => a.IsActive).Sum(a => a.SharePercent);

    /// <summary>The organisations that take part in the incident: the reporter, providers and deployers of involved systems, and assigned parties.</summary>
    public IEnumerable<Guid> Participants =>
        new[] { ReportingOrganisationId }
            .Concat(Systems.Select(s => s.ProviderId))
            .Concat(Systems.SelectMany(s => s.DeployerIds))
            .Concat(Assignments.Select(a => a.PartyId))
            .Concat(Adjudications.SelectMany(a => a.Shares.Select(s => s.PartyId)))
            .Distinct();

    public bool IsParticipant(Guid organisationId) => Participants.Contains(organisationId);

    /// <summary>The organisations the incident can weigh on for liability: those holding a share now, and the providers and deployers of the involved systems.</summary>
    public IEnumerable<Guid> ExposedParties =>
        CurrentShares.Select(s => s.PartyId).Concat(Systems.SelectMany(s => s.DeployerIds.Prepend(s.ProviderId))).Distinct();

    /// <summary>The share <paramref name="party"/> holds now (of <see cref="CurrentShares"/>), 0 when none.</summary>
    public decimal ShareOf(Guid party) => CurrentShares.Where(s => s.PartyId == party).Sum(s => s.SharePercent);

    /// <summary>Whether <paramref name="party"/> is among <see cref="CurrentShares"/> (with a share of any size).</summary>
    public bool HoldsShare(Guid party) => CurrentShares.Any(s => s.PartyId == party);

    /// <summary>Whether <paramref name="party"/> is among <see cref="ExposedParties"/>.</summary>
    public bool Exposes(Guid party) => ExposedParties.Contains(party);

    /// <summary>The financial loss and property damage of <see cref="CurrentLosses"/>, in order.</summary>
    public IEnumerable<Money> CurrentLossAmounts => CurrentLosses.SelectMany(l => new[] { l.FinancialLoss, l.PropertyDamage }).OfType<Money>();

    public static IncidentFile From(IncidentReported e) => new(
        e.IncidentId, e.Title, e.Description, e.OccurredAt, e.BecameAwareAt, e.ReportedAt, e.Jurisdictions, e.Systems,
        e.Sector, e.Classification, e.PeopleAffected, e.ReporterRole, e.CausalLink, e.InitialSeverity, e.ReportingOrganisationId, e)
    {
        FinalReportFiled = e.ReportType == ReportType.CombinedInitialFinal,
    };

    internal IncidentFile Counted() => this with { Version = Version + 1 };

    /// <summary>Folds one event into the file.</summary>
    public IncidentFile Apply(IIncidentEvent @event)
    {
        var file = Counted();
        return @event switch
        {
            ReportAmended e => file.Revise(e.Revision) with
            {
                Amendments = Amendments.Add(e),
                FinalReportFiled = FinalReportFiled || e.ReportType is ReportType.Final or ReportType.FinalNonReportable,
            },
            EvidenceAttached e => file with { Evidence = Evidence.Add(e) },
            SeverityAssessed e => file with { Assessments = Assessments.Add(e), Classification = e.Classification, Severity = e.Grade ?? Severity },
            RiskAssessmentRecorded e => file with { RiskAssessments = RiskAssessments.Add(e) },
            RegulatorNotified e => file.Notified(new Notification(e.NotificationId, e.Authority, e.AuthorityName, e.Jurisdiction, null, e.ReportType, e.Reference, e.NotifiedAt, e.NotifiedByOrganisationId)),
            ProviderNotified e => file.Notified(new Notification(e.NotificationId, Recipient.Provider, e.ProviderId.ToString(), null, e.ProviderId, e.ReportType, e.Reference, e.NotifiedAt, e.NotifiedByOrganisationId)),
            ReportingClockStarted e => file with
            {
                Clocks = Clocks.SetItem(e.ClockId, new ReportingClock(
                    e.ClockId, e.RuleId, e.RuleSetVersion, e.Title, e.Citation, e.Jurisdiction, e.ObligedParty, e.Recipients, e.AcceptedReports,
                    e.StartsAt, e.DueAt, ClockStatus.Running)),
            },
            ReportingClockRecomputed e => file.WithClock(e.ClockId, c => c with
            {
                RuleId = e.RuleId, RuleSetVersion = e.RuleSetVersion, Title = e.Title, Citation = e.Citation, StartsAt = e.StartsAt, DueAt = e.DueAt,
            }),
            ReportingClockMet e => file.WithClock(e.ClockId, c => c with { Status = ClockStatus.Met, MetAt = e.MetAt, MetBy = e.NotificationId, NotifiedAt = e.MetAt }),
            ReportingClockBreached e => file.WithClock(e.ClockId, c => c with
            {
                Status = ClockStatus.Breached, BreachedAt = e.BreachedAt, LateNotificationId = e.LateNotificationId, NotifiedAt = e.LateNotificationId is null ? null : e.BreachedAt,
            }),
            ReportingClockWithdrawn e => file.WithClock(e.ClockId, c => c with { Status = ClockStatus.Withdrawn, WithdrawnReason = e.Reason }),
            AccountabilityAssigned e => file with
            {
                Assignments = Assignments.Add(new AccountabilityAssignment(
                    e.AssignmentId, e.PartyId, e.Role, e.Basis, e.SharePercent, e.Standing, e.Rationale, e.AssignedAt, e.AssignedBy,
                    e.AssignedByRole, e.AssignedByOrganisationId, AssignmentStatus.Pending)),
            },
            AccountabilityAcknowledged e => file.WithAssignment(e.AssignmentId, a => a with { Status = AssignmentStatus.Acknowledged, Statement = e.Statement, StatusChangedAt = e.AcknowledgedAt }),
            AccountabilityDisputed e => file.WithAssignment(e.AssignmentId, a => a with
            {
                Status = AssignmentStatus.Disputed, Grounds = e.Grounds, ProposedSharePercent = e.ProposedSharePercent, StatusChangedAt = e.DisputedAt,
            }),
            AccountabilityWithdrawn e => file.WithAssignment(e.AssignmentId, a => a with { Status = AssignmentStatus.Withdrawn, Statement = e.Reason, StatusChangedAt = e.WithdrawnAt }),
            AccountabilityAdjudicated e => file with
            {
                Adjudications = Adjudications.Add(e),
                Assignments = Assignments.Select(a => a.IsActive ? a with { Status = AssignmentStatus.Superseded, StatusChangedAt = e.AdjudicatedAt } : a).ToImmutableList(),
            },
            CorrectiveActionRecorded e => file with
            {
                CorrectiveActions = CorrectiveActions.FindIndex(a => a.ActionId == e.ActionId) is var i and >= 0
                    ? CorrectiveActions.SetItem(i, e)
                    : CorrectiveActions.Add(e),
            },
            LossRecorded e => file with { Losses = Losses.Add(e) },
            CompensationPaid e => file with { Payments = Payments.Add(e) },
            RegulatoryActionTaken e => file with { RegulatoryActions = RegulatoryActions.Add(e) },
            IncidentLinked e => file with { Links = Links.Add(e) },
            _ => file,
        };
    }

    private IncidentFile Revise(IncidentRevision? revision) => revision is null ? this : this with
    {
        Title = revision.Title ?? Title,
        Description = revision.Description ?? Description,
        OccurredAt = revision.OccurredAt ?? OccurredAt,
        BecameAwareAt = revision.BecameAwareAt ?? BecameAwareAt,
        Jurisdictions = revision.Jurisdictions ?? Jurisdictions,
        Systems = revision.Systems ?? Systems,
        Sector = revision.Sector ?? Sector,
        Classification = revision.Classification ?? Classification,
        PeopleAffected = revision.PeopleAffected ?? PeopleAffected,
        CausalLink = revision.CausalLink ?? CausalLink,
    };

    /// <summary>Records a notification; a clock already breached that it would have met now shows when the late notification came.</summary>
    private IncidentFile Notified(Notification notification) => this with
    {
        Notifications = Notifications.Add(notification),
        Clocks = Clocks.SetItems(Clocks.Values
            .Where(c => c.Status == ClockStatus.Breached && c.NotifiedAt is null
                && c.Recipients.Contains(notification.Recipient) && c.AcceptedReports.Contains(notification.ReportType)
                && (notification.Jurisdiction is null || Regions.Covers(notification.Jurisdiction, c.Jurisdiction)))
            .Select(c => KeyValuePair.Create(c.ClockId, c with { LateNotificationId = notification.NotificationId, NotifiedAt = notification.NotifiedAt }))),
    };

    private IncidentFile WithClock(string clockId, Func<ReportingClock, ReportingClock> change) =>
        Clocks.TryGetValue(clockId, out var clock) ? this with { Clocks = Clocks.SetItem(clockId, change(clock)) } : this;

    private IncidentFile WithAssignment(Guid assignmentId, Func<AccountabilityAssignment, AccountabilityAssignment> change) =>
        Assignments.FindIndex(a => a.AssignmentId == assignmentId) is var i and >= 0
            ? this with { Assignments = Assignments.SetItem(i, change(Assignments[i])) }
            : this;
}
