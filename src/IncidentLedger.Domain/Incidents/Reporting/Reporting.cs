using System.Diagnostics;
using System.Text.RegularExpressions;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

public sealed partial class IncidentDecider
{
    private static IReadOnlyList<IIncidentEvent> Report(ReportIncident c, Incident state)
    {
        var reported = new IncidentReported(
            c.IncidentId,
            Rule.Text(c.Title, "incident.title_missing", "The incident's title", 300),
            Rule.Text(c.Description, "incident.description_missing", "The incident's description"),
            c.OccurredAt,
            c.BecameAwareAt,
            c.Now,
            Regions.Normalise(c.Jurisdictions, "incident.jurisdiction_invalid", "Jurisdictions"),
            c.Systems ?? [],
            c.Sector,
            Normalise(c.Classification),
            c.PeopleAffected,
            c.ReporterRole,
            Normalise(c.CausalLink),
            c.InitialSeverity,
            c.ReportType,
            c.Actor.OrganisationId,
            c.Actor.Subject);

        if (state.FileOrDefault is { } existing)
        {
            return DomainJson.Same(existing.Original, reported)
                ? []
                : throw Rule.Broken("incident.already_reported", $"Incident {c.IncidentId} was already reported on {Rule.Stamp(existing.ReportedAt)} (\"{existing.Title}\"). File a follow-up with AmendReport instead of reporting it again.");
        }

        Rule.Require(c.ReportType is ReportType.Initial or ReportType.CombinedInitialFinal, "report.type_invalid", $"An incident is first reported as initial or combined_initial_final, not {Codes.Of(c.ReportType)}; later reports are filed with AmendReport.");
        Rule.Require(c.IncidentId != Guid.Empty, "incident.id_missing", "The incident id is empty; choose a new Guid for the incident stream.");
        RequireTimes(c.OccurredAt, c.BecameAwareAt, c.Now);
        Rule.Require(reported.Jurisdictions.Count > 0, "incident.jurisdiction_missing", "Say where the incident happened: give at least one jurisdiction (ISO 3166-1 alpha-2, e.g. DE).");
        RequireSystems(reported.Systems);
        RequireConsistent(reported.Classification);
        Rule.Require(c.PeopleAffected is null or >= 0, "incident.people_affected_negative", $"People affected cannot be negative ({c.PeopleAffected}).");
        RequireReporter(c.Actor, c.ReporterRole, reported);

        var file = IncidentFile.From(reported);
        return [reported, .. Deadlines.ReportingClocks.Reconcile(file, c.Now, "reported", Rules)];
    }

    private static void RequireReporter(Actor actor, ReporterRole role, IncidentReported reported)
    {
        switch (actor.Role)
        {
            case ActorRole.Admin:
                return;
            case ActorRole.Regulator:
                Rule.Require(actor.CoversAny(reported.Jurisdictions), "incident.regulator_outside_jurisdiction", $"{actor.Subject} regulates {IncidentAccess.List(actor.Jurisdictions)}, not {IncidentAccess.List(reported.Jurisdictions)}, so it may not report this incident.");
                return;
            case ActorRole.Operator when role == ReporterRole.Provider:
                Rule.Require(reported.Systems.Any(s => s.ProviderId == actor.OrganisationId), "incident.reporter_not_provider", $"{actor.Subject} reports as provider, but organisation {actor.OrganisationId} provides none of the systems involved ({string.Join(", ", reported.Systems.Select(s => s.Name))}). Report as deployer, user or public instead.");
                return;
            case ActorRole.Operator when role == ReporterRole.Deployer:
                Rule.Require(reported.Systems.Any(s => s.DeployerIds.Contains(actor.OrganisationId)), "incident.reporter_not_deployer", $"{actor.Subject} reports as deployer, but organisation {actor.OrganisationId} is not a registered deployer of any system involved ({string.Join(", ", reported.Systems.Select(s => s.Name))}).");
                return;
            case ActorRole.Operator when role == ReporterRole.Authority:
                throw Rule.Broken("incident.reporter_not_authority", $"{actor.Subject} acts as operator and cannot report as an authority.");
            case ActorRole.Operator:
                return;
            default:
                throw Rule.Broken("incident.role_cannot_report", $"{actor.Subject} acts as {Codes.Of(actor.Role)}; incidents are reported by operators, regulators or admins.");
        }
    }

    private static void RequireTimes(DateTimeOffset occurredAt, DateTimeOffset becameAwareAt, DateTimeOffset now)
    {
        Rule.Require(becameAwareAt <= now, "incident.aware_after_report", $"Became-aware-at ({Rule.Stamp(becameAwareAt)}) is after the time of the report ({Rule.Stamp(now)}); a reporter cannot report before becoming aware.");
        Rule.Require(occurredAt <= becameAwareAt, "incident.aware_before_occurrence", $"Became-aware-at ({Rule.Stamp(becameAwareAt)}) is before the incident occurred ({Rule.Stamp(occurredAt)}).");
    }

    private static void RequireSystems(IReadOnlyList<InvolvedSystem> systems)
    {
        Rule.Require(systems.Count > 0, "incident.system_missing", "Name at least one AI system involved; an AI incident involves an AI system.");
        var repeated = systems.GroupBy(s => s.SystemId).FirstOrDefault(g => g.Count() > 1);
        Rule.Require(repeated is null, "incident.system_repeated", $"AI system {repeated?.Key} is listed more than once.");
        foreach (var system in systems)
        {
            Rule.Require(system.SystemId != Guid.Empty && system.ProviderId != Guid.Empty, "incident.system_invalid", $"AI system \"{system.Name}\" needs its system id and provider id.");
            Rule.Text(system.Name, "incident.system_invalid", "The involved system's name", 300);
            Rule.Text(system.Version, "incident.system_invalid", $"The version of {system.Name}", 100);
            Rule.Require(system.FoundationModelTier is null || system.FoundationModelId is not null, "incident.system_invalid", $"{system.Name} gives a foundation-model tier but no foundation model.");
        }
    }

    private static Classification Normalise(Classification classification)
    {
        Rule.Require(classification is not null, "incident.classification_missing", "Classify the incident: its OECD level, EU criteria (possibly none) and harm types.");
        return new Classification(classification!.Level, Rule.SortedSet(classification.EuCriteria), Rule.SortedSet(classification.HarmTypes));
    }

    private static CausalLink Normalise(CausalLink link)
    {
        Rule.Require(link is not null, "incident.causal_link_missing", "State how the AI system relates to the harm (the causal-link statement).");
        return link! with { Statement = Rule.Text(link.Statement, "incident.causal_link_missing", "The causal-link statement") };
    }

    /// <summary>The EU criteria must agree with the ladder level and with the harm types.</summary>
    private static void RequireConsistent(Classification c)
    {
        Rule.Require(c.HarmTypes.Count > 0, "incident.harm_types_missing", "Name at least one harm type (for a hazard, the harm it could plausibly lead to).");
        Rule.Require(
            c.EuCriteria.Count == 0 || c.Level >= OecdLevel.SeriousIncident,
            "incident.eu_criteria_below_serious",
            $"EU serious-incident criteria ({string.Join(", ", c.EuCriteria.Select(Codes.Of))}) are met only by a serious incident or disaster, but the incident is classified as {Codes.Of(c.Level)}.");
        Requires(c, EuCriterion.Death, [HarmType.Physical]);
        Requires(c, EuCriterion.SeriousHarmToHealth, [HarmType.Physical, HarmType.Psychological]);
        Requires(c, EuCriterion.CriticalInfrastructureDisruption, [HarmType.CriticalInfrastructure]);
        Requires(c, EuCriterion.FundamentalRightsInfringement, [HarmType.Privacy, HarmType.NonDiscrimination, HarmType.HumanDignity]);
        Requires(c, EuCriterion.SeriousPropertyOrEnvironmentalHarm, [HarmType.Property, HarmType.Environmental, HarmType.Economic]);
    }

    private static void Requires(Classification c, EuCriterion criterion, HarmType[] anyOf) =>
        Rule.Require(
            !c.EuCriteria.Contains(criterion) || anyOf.Any(c.HarmTypes.Contains),
            "incident.criterion_without_harm",
            $"The EU criterion {Codes.Of(criterion)} needs a matching harm type ({string.Join(" or ", anyOf.Select(Codes.Of))}), but the harm types are {string.Join(", ", c.HarmTypes.Select(Codes.Of))}.");

    private static IReadOnlyList<IIncidentEvent> Amend(AmendReport c, IncidentFile file)
    {
        Rule.Require(
            c.Actor.Role == ActorRole.Admin || (c.Actor.Role == ActorRole.Operator && c.Actor.OrganisationId == file.ReportingOrganisationId),
            "report.not_reporting_organisation",
            $"Only the reporting organisation ({file.ReportingOrganisationId}) files follow-up and final reports on incident {file.Id}; {c.Actor.Subject} acts for {c.Actor.OrganisationId} as {Role(c.Actor.Role)}.");
        var revision = c.Revision is null ? null : Normalise(c.Revision);
        var amended = new ReportAmended(
            file.Id,
            file.Amendments.Count + 2,
            c.ReportType,
            Rule.Text(c.Summary, "report.summary_missing", "The report's summary"),
            revision,
            Rule.OptionalText(c.NonReportableRationale, "report.rationale_missing", "The non-reportable rationale"),
            c.Now,
            c.Actor.OrganisationId,
            c.Actor.Subject);
        if (file.Amendments.LastOrDefault() is { } last && DomainJson.Same(last with { ReportNumber = 0 }, amended with { ReportNumber = 0 }))
        {
            return [];
        }

        Rule.Require(c.ReportType is ReportType.FollowUp or ReportType.Final or ReportType.FinalNonReportable, "report.type_invalid", $"A {Codes.Of(c.ReportType)} report cannot be filed as an amendment; amendments are follow_up, final or final_non_reportable.");
        Rule.Require(!file.FinalReportFiled, "report.final_already_filed", $"A final report is already on file for incident {file.Id}; reopen the incident to file further reports.");
        Rule.Require(
            (c.ReportType == ReportType.FinalNonReportable) == (amended.NonReportableRationale is not null),
            "report.rationale_missing",
            c.ReportType == ReportType.FinalNonReportable
                ? "A final_non_reportable report must give the rationale for concluding the incident is not reportable."
                : "Only a final_non_reportable report carries a non-reportable rationale.");
        if (revision is not null)
        {
            RequireRevision(revision, file, c.Now);
        }

        if (c.ReportType == ReportType.FinalNonReportable)
        {
            return
            [
                amended,
                .. file.Clocks.Values
                    .Where(clock => clock.Status == Deadlines.ClockStatus.Running)
                    .Select(clock => new ReportingClockWithdrawn(file.Id, clock.ClockId, $"final non-reportable report: {amended.NonReportableRationale}", c.Now)),
            ];
        }

        return WithClocks(file, amended, c.Now, $"{Codes.Of(c.ReportType)} report {amended.ReportNumber}");
    }

    private static IncidentRevision Normalise(IncidentRevision revision) => revision with
    {
        Title = revision.Title is null ? null : Rule.Text(revision.Title, "incident.title_missing", "The revised title", 300),
        Description = revision.Description is null ? null : Rule.Text(revision.Description, "incident.description_missing", "The revised description"),
        Jurisdictions = revision.Jurisdictions is null ? null : Regions.Normalise(revision.Jurisdictions, "incident.jurisdiction_invalid", "Revised jurisdictions"),
        Classification = revision.Classification is null ? null : Normalise(revision.Classification),
        CausalLink = revision.CausalLink is null ? null : Normalise(revision.CausalLink),
    };

    private static void RequireRevision(IncidentRevision revision, IncidentFile file, DateTimeOffset now)
    {
        var aware = revision.BecameAwareAt ?? file.BecameAwareAt;
        Rule.Require(
            revision.BecameAwareAt is null || revision.BecameAwareAt <= file.BecameAwareAt,
            "report.awareness_moved_later",
            $"Became-aware-at can only be corrected to an earlier time: moving it from {Rule.Stamp(file.BecameAwareAt)} to {Rule.Stamp(revision.BecameAwareAt ?? file.BecameAwareAt)} would extend the reporting deadlines.");
        RequireTimes(revision.OccurredAt ?? file.OccurredAt, aware, now);
        Rule.Require(revision.Jurisdictions is null || revision.Jurisdictions.Count > 0, "incident.jurisdiction_missing", "A revision cannot remove every jurisdiction.");
        if (revision.Systems is not null)
        {
            RequireSystems(revision.Systems);
        }

        if (revision.Classification is not null)
        {
            RequireConsistent(revision.Classification);
        }

        Rule.Require(revision.PeopleAffected is null or >= 0, "incident.people_affected_negative", $"People affected cannot be negative ({revision.PeopleAffected}).");
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")]
    private static partial Regex MediaTypePattern();

    private static IReadOnlyList<IIncidentEvent> Attach(AttachEvidence c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "attach evidence to this incident");
        var hash = c.Sha256?.Trim().ToLowerInvariant() ?? "";
        Rule.Require(Sha256Pattern().IsMatch(hash), "evidence.hash_invalid", $"\"{c.Sha256}\" is not a SHA-256 digest: give 64 hexadecimal characters.");
        Rule.Require(c.SizeBytes > 0, "evidence.size_invalid", $"Evidence size must be a positive number of bytes, not {c.SizeBytes}.");
        var mediaType = c.MediaType?.Trim().ToLowerInvariant() ?? "";
        Rule.Require(MediaTypePattern().IsMatch(mediaType), "evidence.media_type_invalid", $"\"{c.MediaType}\" is not a media type such as application/json or text/plain.");
        var attached = new EvidenceAttached(
            file.Id, hash, c.SizeBytes, mediaType, c.Kind,
            Rule.Text(c.Location, "evidence.location_missing", "Where the evidence is held", 2000),
            Rule.OptionalText(c.Description, "evidence.description_too_long", "The evidence description"),
            c.Now, c.Actor.OrganisationId, c.Actor.Subject);
        if (file.Evidence.FirstOrDefault(e => e.Sha256 == hash) is { } existing)
        {
            return DomainJson.Same(existing, attached)
                ? []
                : throw Rule.Broken("evidence.hash_already_attached", $"Evidence with SHA-256 {hash} was already attached on {Rule.Stamp(existing.AttachedAt)} ({Codes.Of(existing.Kind)}, held at {existing.Location}); the same artifact is recorded once.");
        }

        return [attached];
    }

    private static IReadOnlyList<IIncidentEvent> Assess(AssessSeverity c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "assess the severity of this incident");
        var assessed = new SeverityAssessed(
            file.Id, Normalise(c.Classification), c.Grade,
            Rule.Text(c.Rationale, "severity.rationale_missing", "The assessment's rationale"),
            c.Now, c.Actor.Subject, c.Actor.Role, c.Actor.OrganisationId);
        if (file.Assessments.LastOrDefault() is { } last && DomainJson.Same(last, assessed))
        {
            return [];
        }

        RequireConsistent(assessed.Classification);
        return WithClocks(file, assessed, c.Now, $"reclassified as {Codes.Of(assessed.Classification.Level)} by {c.Actor.Subject}");
    }

    private static IReadOnlyList<IIncidentEvent> RecordRisk(RecordRiskAssessment c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "record a risk assessment on this incident");
        var recorded = new RiskAssessmentRecorded(
            file.Id, c.AssessmentId, c.Framework, c.Likelihood, c.Impact, c.Origin, c.Scope, c.SystemAssessmentAdequate,
            Rule.Text(c.Notes, "risk_assessment.notes_missing", "The risk assessment's notes"),
            c.Now, c.Actor.OrganisationId, c.Actor.Subject);
        if (file.RiskAssessments.FirstOrDefault(r => r.AssessmentId == c.AssessmentId) is { } existing)
        {
            return DomainJson.Same(existing, recorded)
                ? []
                : throw Rule.Broken("risk_assessment.id_reused", $"Risk assessment {c.AssessmentId} was already recorded on {Rule.Stamp(existing.AssessedAt)} with different content; use a new id for a new assessment.");
        }

        return [recorded];
    }

    private static IReadOnlyList<IIncidentEvent> Link(LinkIncident c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "link this incident");
        if (c.Kind == LinkKind.SameAsExternal)
        {
            Rule.Require(c.Database is not null && (!string.IsNullOrWhiteSpace(c.ExternalId) || !string.IsNullOrWhiteSpace(c.Url)), "link.external_reference_missing", "A link to an outside database names the database and the entry's id or URL.");
            Rule.Require(c.TargetIncidentId is null, "link.target_not_external", "A link to an outside database does not name a ledger incident; use related_to or duplicate_of for that.");
        }
        else
        {
            Rule.Require(c.TargetIncidentId is { } target && target != Guid.Empty, "link.target_missing", $"A {Codes.Of(c.Kind)} link names the other incident.");
            Rule.Require(c.TargetIncidentId != file.Id, "link.self", "An incident cannot be linked to itself.");
            Rule.Require(c.Database is null && c.ExternalId is null, "link.target_not_external", $"A {Codes.Of(c.Kind)} link points at a ledger incident; outside databases are linked as same_as_external.");
        }

        var url = Rule.OptionalText(c.Url, "link.url_invalid", "The URL", 2000);
        Rule.Require(
            url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)),
            "link.url_invalid",
            $"\"{url}\" is not an absolute http(s) URL.");
        var linked = new IncidentLinked(
            file.Id, c.Kind, c.TargetIncidentId, c.Database,
            Rule.OptionalText(c.ExternalId, "link.external_id_invalid", "The external id", 300), url,
            Rule.OptionalText(c.Note, "link.note_too_long", "The note", 2000), c.Now, c.Actor.Subject);
        var same = file.Links.FirstOrDefault(l => l.Kind == linked.Kind && l.TargetIncidentId == linked.TargetIncidentId && l.Database == linked.Database && l.ExternalId == linked.ExternalId && l.Url == linked.Url);
        if (same is not null)
        {
            return DomainJson.Same(same, linked)
                ? []
                : throw Rule.Broken("link.already_linked", $"Incident {file.Id} already has this {Codes.Of(c.Kind)} link (recorded {Rule.Stamp(same.LinkedAt)}).");
        }

        return [linked];
    }

    private static IReadOnlyList<IIncidentEvent> Close(CloseIncident c, IncidentFile file)
    {
        RequireCloser(c.Actor, file, "close");
        var summary = Rule.Text(c.Summary, "incident.closing_summary_missing", "The closing summary");
        var notDue = file.Clocks.Values.Where(clock => clock.Status == Deadlines.ClockStatus.Running && c.Now <= clock.DueAt).ToArray();
        Rule.Require(
            notDue.Length == 0,
            "incident.reporting_clock_running",
            $"Incident {file.Id} cannot be closed while reporting clocks are running: {string.Join("; ", notDue.Select(k => $"{k.ClockId} due {Rule.Stamp(k.DueAt)}"))}. Send the notifications, or file a final non-reportable report.");
        var disputed = file.Adjudication is null ? file.Assignments.Where(a => a.Status == AssignmentStatus.Disputed).ToArray() : [];
        Rule.Require(
            disputed.Length == 0 || c.Resolution is not IncidentResolution.Resolved,
            "incident.unresolved_dispute",
            $"Incident {file.Id} cannot be closed as resolved while accountability is disputed by {string.Join(", ", disputed.Select(a => a.PartyId))}; adjudicate or withdraw the disputed assignments first.");
        Rule.Require(
            c.Resolution != IncidentResolution.Duplicate || file.Links.Any(l => l.Kind == LinkKind.DuplicateOf),
            "incident.duplicate_without_link",
            "An incident closed as a duplicate must first be linked (duplicate_of) to the incident it duplicates.");
        return [.. Deadlines.ReportingClocks.Overdue(file, c.Now), new IncidentClosed(file.Id, c.Resolution, summary, c.Now, c.Actor.Subject, c.Actor.Role)];
    }

    private static IReadOnlyList<IIncidentEvent> RepeatClose(CloseIncident c, Incident.Closed closed) =>
        closed.Closure.Resolution == c.Resolution && closed.Closure.Summary == c.Summary?.Trim() && closed.Closure.ClosedAt == c.Now && closed.Closure.ClosedBy == c.Actor.Subject
            ? []
            : throw Rule.Broken("incident.closed", $"Incident {c.IncidentId} was already closed on {Rule.Stamp(closed.Closure.ClosedAt)} as {Codes.Of(closed.Closure.Resolution)}.");

    private static IReadOnlyList<IIncidentEvent> Reopen(ReopenIncident c, Incident state)
    {
        var reason = Rule.Text(c.Reason, "incident.reopen_reason_missing", "The reason for reopening");
        switch (state)
        {
            case Incident.None:
                throw Rule.Broken("incident.unknown", $"Incident {c.IncidentId} has not been reported, so it cannot be reopened.");
            case Incident.Open open:
                return open.File.LastReopen is { } last && last.Reason == reason && last.ReopenedAt == c.Now && last.ReopenedBy == c.Actor.Subject
                    ? []
                    : throw Rule.Broken("incident.not_closed", $"Incident {c.IncidentId} is open; only a closed incident can be reopened.");
            case Incident.Closed closed:
                RequireCloser(c.Actor, closed.File, "reopen");
                return [new IncidentReopened(c.IncidentId, reason, c.Now, c.Actor.Subject, c.Actor.Role)];
            default:
                throw new UnreachableException($"An incident is None, Open or Closed, never {state.GetType().Name}.");
        }
    }

    private static void RequireCloser(Actor actor, IncidentFile file, string verb)
    {
        switch (actor.Role)
        {
            case ActorRole.Admin:
                return;
            case ActorRole.Regulator:
                IncidentAccess.RequireRegulatorOf(actor, file, $"{verb} this incident");
                return;
            case ActorRole.Operator:
                Rule.Require(actor.OrganisationId == file.ReportingOrganisationId, "incident.not_reporting_organisation", $"Only the reporting organisation ({file.ReportingOrganisationId}), a regulator of its jurisdictions or an admin may {verb} incident {file.Id}.");
                return;
            default:
                throw Rule.Broken("incident.role_not_permitted", $"{actor.Subject} acts as {Role(actor.Role)}, and that role may not {verb} incidents.");
        }
    }
}
