using IncidentLedger.Domain;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.EventStore.Writing;

namespace IncidentLedger.Api.GraphQL;

/// <summary>Why a command wrote nothing, as the result union's error members.</summary>
public interface ICommandError
{
    string Code { get; }

    string Message { get; }
}

public sealed record VersionConflict(string Code, string Message, Guid StreamId, long ExpectedVersion, long CurrentVersion) : ICommandError;

public sealed record RuleViolated(string Code, string Message, string Remedy) : ICommandError;

public sealed record InvalidInput(string Code, string Message, string Field) : ICommandError;

public sealed record NotPermitted(string Code, string Message) : ICommandError;

/// <summary>
/// Sorts the domain's and the write path's refusals into the result union: a value of the input the rules refuse
/// (named by its input path), a caller the rules do not permit, a stream that moved on, or a rule of the current state.
/// </summary>
internal static class CommandRejections
{
    /// <summary>The error member for a refusal, or null when the exception is not a refusal (a fault, which stays an error of the request).</summary>
    public static ICommandError? Of(Exception exception, Type commandType) => exception switch
    {
        CommandInputException e => new InvalidInput(e.Code, e.Message, e.Field),
        StreamConflictException e => new VersionConflict("stream.version_conflict", e.Message, Guid.Parse(e.StreamKey), e.ExpectedVersion, e.CurrentVersion),
        IdempotencyConflictException e => new InvalidInput("idempotency.key_reused", e.Message, "idempotencyKey"),
        InvalidEventException e => new InvalidInput("input.not_storable", e.Message, "input"),
        RuleViolation e when FieldOf(commandType, e.Code) is { } field => new InvalidInput(e.Code, e.Message, field),
        RuleViolation e when IsPermission(e.Code) => new NotPermitted(e.Code, e.Message),
        RuleViolation e => new RuleViolated(e.Code, e.Message, RemedyOf(e.Code)),
        _ => null,
    };

    /// <summary>The input path a rule about one value of the command's input refers to; null for rules about the stream's state.</summary>
    public static string? FieldOf(Type commandType, string code)
    {
        if (!InputFields.TryGetValue(code, out var field))
        {
            return null;
        }

        // A follow-up report carries the revised details under input.revision.
        var revised = commandType == typeof(AmendReport) && code.StartsWith("incident.", StringComparison.Ordinal) && code != "incident.id_missing";
        var specific = Overrides.TryGetValue((commandType.Name, code), out var own) ? own : field;
        return "input." + (revised ? "revision." : "") + specific;
    }

    /// <summary>Codes of rules about who may give a command rather than about what it says.</summary>
    public static bool IsPermission(string code) => PermissionCodes.Contains(code);

    private static readonly HashSet<string> PermissionCodes =
    [
        "incident.role_not_permitted", "incident.not_a_participant", "incident.regulator_outside_jurisdiction", "incident.not_reporting_organisation",
        "incident.role_cannot_report", "report.not_reporting_organisation", "accountability.established_requires_regulator", "accountability.not_assigned_party",
        "accountability.not_assigner", "ai_system.not_provider", "ai_system.role_not_permitted", "compensation.not_payer", "organisation.not_own",
        "organisation.kind_not_permitted", "policy.not_insurer", "regulatory_action.not_competent", "regulatory_action.outside_jurisdictions",
        "notification.outside_jurisdictions",
    ];

    // Rules about a single value of a command's input, by code: the input field (camelCase, as in the schema) it names.
    private static readonly Dictionary<string, string> InputFields = new()
    {
        ["incident.id_missing"] = "incidentId",
        ["incident.title_missing"] = "title",
        ["incident.description_missing"] = "description",
        ["incident.jurisdiction_missing"] = "jurisdictions",
        ["incident.jurisdiction_invalid"] = "jurisdictions",
        ["incident.system_missing"] = "systems",
        ["incident.system_invalid"] = "systems",
        ["incident.system_repeated"] = "systems",
        ["incident.classification_missing"] = "classification",
        ["incident.harm_types_missing"] = "classification.harmTypes",
        ["incident.eu_criteria_below_serious"] = "classification.euCriteria",
        ["incident.criterion_without_harm"] = "classification.harmTypes",
        ["incident.causal_link_missing"] = "causalLink",
        ["incident.people_affected_negative"] = "peopleAffected",
        ["incident.aware_before_occurrence"] = "becameAwareAt",
        ["incident.aware_after_report"] = "becameAwareAt",
        ["incident.closing_summary_missing"] = "summary",
        ["incident.reopen_reason_missing"] = "reason",
        ["report.summary_missing"] = "summary",
        ["report.rationale_missing"] = "nonReportableRationale",
        ["report.type_invalid"] = "reportType",
        ["severity.rationale_missing"] = "rationale",
        ["risk_assessment.notes_missing"] = "notes",
        ["evidence.hash_invalid"] = "sha256",
        ["evidence.size_invalid"] = "sizeBytes",
        ["evidence.media_type_invalid"] = "mediaType",
        ["evidence.location_missing"] = "location",
        ["evidence.description_too_long"] = "description",
        ["link.target_missing"] = "targetIncidentId",
        ["link.self"] = "targetIncidentId",
        ["link.target_not_external"] = "targetIncidentId",
        ["link.external_reference_missing"] = "externalId",
        ["link.external_id_invalid"] = "externalId",
        ["link.url_invalid"] = "url",
        ["link.note_too_long"] = "note",
        ["loss.id_missing"] = "lossId",
        ["loss.negative_count"] = "deaths",
        ["loss.empty"] = "deaths",
        ["loss.description_missing"] = "description",
        ["loss.source_too_long"] = "source",
        ["compensation.id_missing"] = "paymentId",
        ["compensation.amount_missing"] = "amount",
        ["compensation.amount_not_positive"] = "amount",
        ["compensation.payer_missing"] = "payerId",
        ["compensation.policy_missing"] = "policyId",
        ["compensation.recipient_missing"] = "paidTo",
        ["accountability.id_missing"] = "assignmentId",
        ["accountability.share_out_of_range"] = "sharePercent",
        ["accountability.proposed_share_invalid"] = "proposedSharePercent",
        ["accountability.rationale_missing"] = "rationale",
        ["accountability.statement_missing"] = "statement",
        ["accountability.grounds_missing"] = "grounds",
        ["accountability.reason_missing"] = "reason",
        ["accountability.decision_reference_missing"] = "decisionReference",
        ["accountability.party_repeated"] = "shares",
        ["notification.id_missing"] = "notificationId",
        ["notification.authority_missing"] = "authorityName",
        ["notification.jurisdiction_invalid"] = "jurisdiction",
        ["notification.reference_too_long"] = "reference",
        ["corrective_action.id_missing"] = "actionId",
        ["corrective_action.description_missing"] = "description",
        ["regulatory_action.id_missing"] = "actionId",
        ["regulatory_action.authority_missing"] = "authority",
        ["regulatory_action.jurisdiction_invalid"] = "jurisdiction",
        ["regulatory_action.description_missing"] = "description",
        ["regulatory_action.fine_amount_missing"] = "fine",
        ["regulatory_action.reference_too_long"] = "reference",
        ["ai_system.id_missing"] = "systemId",
        ["ai_system.name_missing"] = "name",
        ["ai_system.version_missing"] = "version",
        ["ai_system.purpose_missing"] = "intendedPurpose",
        ["ai_system.registration_invalid"] = "registrations",
        ["ai_system.release_notes_missing"] = "notes",
        ["ai_system.rationale_missing"] = "rationale",
        ["ai_system.reason_missing"] = "reason",
        ["organisation.id_missing"] = "organisationId",
        ["organisation.name_missing"] = "name",
        ["organisation.country_invalid"] = "country",
        ["organisation.kind_missing"] = "kinds",
        ["organisation.identifier_too_long"] = "legalIdentifier",
        ["organisation.reason_missing"] = "reason",
        ["policy.id_missing"] = "policyId",
        ["policy.number_missing"] = "policyNumber",
        ["policy.coverage_missing"] = "coverage",
        ["policy.limit_missing"] = "limit",
        ["policy.limit_not_positive"] = "limit",
        ["policy.currency_mismatch"] = "retention",
        ["policy.period_invalid"] = "periodEnd",
        ["policy.exclusion_empty"] = "exclusions",
        ["policy.endorsement_empty"] = "addSystems",
        ["policy.reason_missing"] = "reason",
        ["policy.note_too_long"] = "note",
    };

    // Where one code names different fields in different commands.
    private static readonly Dictionary<(string Command, string Code), string> Overrides = new()
    {
        [(nameof(AdjudicateAccountability), "accountability.id_missing")] = "adjudicationId",
        [(nameof(AdjudicateAccountability), "accountability.share_out_of_range")] = "shares",
        [(nameof(TakeRegulatoryAction), "money.negative")] = "fine",
    };

    // What to do about the commonest rules of state; the message says which condition failed.
    private static string RemedyOf(string code) => code switch
    {
        "incident.unknown" or "ai_system.unknown" or "organisation.unknown" or "policy.unknown" =>
            "Create it first (reportIncident, registerAiSystem, registerOrganisation or bindPolicy), or check the identifier.",
        "incident.already_reported" or "ai_system.already_registered" or "organisation.already_registered" or "policy.already_bound" =>
            "Choose a new identifier for a new record, or send the command that changes the existing one.",
        "incident.closed" => "Reopen the incident (reopenIncident) before recording more on it.",
        "incident.not_closed" => "Only a closed incident can be reopened.",
        "incident.unresolved_dispute" => "Settle the open disputes first: adjudicateAccountability, or the assigner withdraws the disputed assignment.",
        "accountability.shares_exceed_100" => "Lower the share, or withdraw or adjudicate the other assignments so the shares add up to at most 100%.",
        "accountability.unknown_assignment" => "Name an assignment of this incident (see accountability).",
        _ => "Read the current state (the incident, system, organisation or policy query), then send a command the rule allows.",
    };
}
