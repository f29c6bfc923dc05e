using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

/// <summary>Who may write what on an incident.</summary>
internal static class IncidentAccess
{
    /// <summary>
    /// Admins may; regulators of one of the incident's jurisdictions may; operators of a participating
    /// organisation may; insurers only where <paramref name="insurers"/> allows; auditors never write.
    /// </summary>
    public static void RequireWriter(Actor actor, IncidentFile file, string action, bool regulators = true, bool insurers = false)
    {
        switch (actor.Role)
        {
            case ActorRole.Admin:
                return;
            case ActorRole.Regulator when regulators:
                RequireRegulatorOf(actor, file, action);
                return;
            case ActorRole.Operator:
                RequireParticipant(actor, file, action);
                return;
            case ActorRole.Insurer when insurers:
                return;
            default:
                throw Rule.Broken("incident.role_not_permitted", $"{actor.Subject} acts as {Codes.Of(actor.Role)}, and that role may not {action}.");
        }
    }

    public static void RequireRegulatorOf(Actor actor, IncidentFile file, string action) =>
        Rule.Require(
            actor.Role == ActorRole.Regulator && actor.CoversAny(file.Jurisdictions),
            "incident.regulator_outside_jurisdiction",
            $"{actor.Subject} ({Codes.Of(actor.Role)}; jurisdictions {List(actor.Jurisdictions)}) may not {action}: incident {file.Id} is in {List(file.Jurisdictions)}, and only a regulator of one of those jurisdictions may.");

    public static void RequireParticipant(Actor actor, IncidentFile file, string action) =>
        Rule.Require(
            file.IsParticipant(actor.OrganisationId),
            "incident.not_a_participant",
            $"Organisation {actor.OrganisationId} takes no part in incident {file.Id} (it is not the reporter, a provider or deployer of an involved system, or an assigned party), so {actor.Subject} may not {action}.");

    public static string List(IEnumerable<string> values) => values.Any() ? string.Join(", ", values) : "none";
}
