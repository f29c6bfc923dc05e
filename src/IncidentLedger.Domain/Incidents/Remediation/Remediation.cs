using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

public sealed partial class IncidentDecider
{
    private static IReadOnlyList<IIncidentEvent> RecordAction(RecordCorrectiveAction c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "record corrective actions on this incident", regulators: false);
        var recorded = new CorrectiveActionRecorded(
            file.Id, c.ActionId, c.Kind, c.Status,
            Rule.Text(c.Description, "corrective_action.description_missing", "The corrective action's description"),
            c.SystemId, c.Now, c.Actor.OrganisationId, c.Actor.Subject);
        Rule.Require(c.ActionId != Guid.Empty, "corrective_action.id_missing", "Give the corrective action an id (a new Guid).");
        Rule.Require(
            c.SystemId is null || file.Systems.Any(s => s.SystemId == c.SystemId),
            "corrective_action.system_not_involved",
            $"AI system {c.SystemId} is not involved in incident {file.Id}; involved: {string.Join(", ", file.Systems.Select(s => s.Name))}.");
        if (file.CorrectiveActions.FirstOrDefault(a => a.ActionId == c.ActionId) is { } existing)
        {
            if (DomainJson.Same(existing, recorded))
            {
                return [];
            }

            Rule.Require(existing.Kind == c.Kind && existing.SystemId == c.SystemId, "corrective_action.kind_changed", $"Corrective action {c.ActionId} is a {Codes.Of(existing.Kind)}; record a different action under a new id.");
            Rule.Require(
                c.Status > existing.Status,
                "corrective_action.status_regressed",
                $"Corrective action {c.ActionId} is already {Codes.Of(existing.Status)}; its status moves forward only (planned → in_progress → completed).");
        }

        return [recorded];
    }

    private static IReadOnlyList<IIncidentEvent> TakeAction(TakeRegulatoryAction c, IncidentFile file)
    {
        var jurisdiction = Regions.Normalise([c.Jurisdiction], "regulatory_action.jurisdiction_invalid", "The action's jurisdiction").Single();
        Rule.Require(
            c.Actor.Role == ActorRole.Regulator && c.Actor.Covers(jurisdiction),
            "regulatory_action.not_competent",
            $"Regulatory action in {jurisdiction} is recorded by a regulator of {jurisdiction}; {c.Actor.Subject} acts as {Role(c.Actor.Role)} for {IncidentAccess.List(c.Actor.Jurisdictions)}.");
        Rule.Require(
            file.Jurisdictions.Any(j => Regions.Covers(jurisdiction, j)),
            "regulatory_action.outside_jurisdictions",
            $"Incident {file.Id} is in {IncidentAccess.List(file.Jurisdictions)}, not {jurisdiction}.");
        var taken = new RegulatoryActionTaken(
            file.Id, c.ActionId, c.Kind,
            Rule.Text(c.Authority, "regulatory_action.authority_missing", "The authority's name", 300),
            jurisdiction, c.AgainstPartyId, c.Fine,
            Rule.Text(c.Description, "regulatory_action.description_missing", "The action's description"),
            Rule.OptionalText(c.Reference, "regulatory_action.reference_too_long", "The reference", 300),
            c.Now, c.Actor.Subject, c.Actor.OrganisationId);
        if (file.RegulatoryActions.FirstOrDefault(a => a.ActionId == c.ActionId) is { } existing)
        {
            return DomainJson.Same(existing, taken)
                ? []
                : throw Rule.Broken("regulatory_action.id_reused", $"Regulatory action {c.ActionId} was already recorded on {Rule.Stamp(existing.TakenAt)}; use a new id for a new action.");
        }

        Rule.Require(c.ActionId != Guid.Empty, "regulatory_action.id_missing", "Give the action an id (a new Guid).");
        Rule.Require(
            c.Kind != RegulatoryActionKind.Fine || c.Fine is { IsZero: false },
            "regulatory_action.fine_amount_missing",
            "A fine states its amount.");
        Rule.Require(c.Kind == RegulatoryActionKind.Fine || c.Fine is null, "regulatory_action.amount_without_fine", $"Only a fine carries an amount, not a {Codes.Of(c.Kind)}.");
        Rule.Require(
            c.AgainstPartyId is null || file.IsParticipant(c.AgainstPartyId.Value),
            "regulatory_action.party_not_involved",
            $"Organisation {c.AgainstPartyId} takes no part in incident {file.Id}; action is taken against the reporter, a provider or deployer of an involved system, or an assigned party.");
        return [taken];
    }
}
