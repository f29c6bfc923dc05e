using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Policies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>
/// Who may read which incident: admins everything; regulators the incidents in their jurisdictions;
/// operators the incidents their organisation takes part in; insurers the incidents involving a party
/// or system their policies cover; auditors no incident content (they check the log and its proofs).
/// </summary>
public static class Visibility
{
    public static bool CanSee(Actor actor, IncidentFile file, LedgerView view)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(file);
        return actor.Role switch
        {
            ActorRole.Admin => true,
            ActorRole.Regulator => actor.CoversAny(file.Jurisdictions),
            ActorRole.Operator => file.IsParticipant(actor.OrganisationId),
            ActorRole.Insurer => CoveredBy(actor.OrganisationId, view).Any(terms =>
                file.Systems.Any(s => terms.CoveredSystems.Contains(s.SystemId)) || file.IsParticipant(terms.InsuredId)),
            _ => false,
        };
    }

    /// <summary>The incidents of the view the actor may read.</summary>
    public static IEnumerable<IncidentView> Incidents(Actor actor, LedgerView view) =>
        view.ReportedIncidents.Where(i => CanSee(actor, i.File, view));

    /// <summary>The policies an insurer wrote (in force or lapsed); others see none unless admin.</summary>
    public static IEnumerable<PolicyTerms> Policies(Actor actor, LedgerView view) => actor.Role switch
    {
        ActorRole.Admin => view.Policies.Values.Select(p => p.TermsOrDefault).OfType<PolicyTerms>(),
        ActorRole.Insurer => CoveredBy(actor.OrganisationId, view),
        ActorRole.Operator => view.Policies.Values.Select(p => p.TermsOrDefault).OfType<PolicyTerms>().Where(t => t.InsuredId == actor.OrganisationId),
        _ => [],
    };

    private static IEnumerable<PolicyTerms> CoveredBy(Guid insurer, LedgerView view) =>
        view.Policies.Values.Select(p => p.TermsOrDefault).OfType<PolicyTerms>().Where(t => t.InsurerId == insurer);
}
