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

    /// <summary>
    /// The part of the exposure report the actor may read: admins all of it; insurers their policies, the parties
    /// those insure, the systems they cover and the accumulations they share in; operators their own organisation,
    /// the systems it provides, the policies it holds and the accumulations over its systems; others nothing.
    /// </summary>
    public static ExposureReport Exposure(Actor actor, ExposureReport report)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(report);
        var org = actor.OrganisationId;
        switch (actor.Role)
        {
            case ActorRole.Admin:
                return report;
            case ActorRole.Insurer:
                var policies = report.Policies.Where(p => p.InsurerId == org).ToArray();
                var insured = policies.Select(p => p.InsuredId).ToHashSet();
                var covered = policies.SelectMany(p => p.CoveredSystems).ToHashSet();
                return report with
                {
                    Parties = [.. report.Parties.Where(p => insured.Contains(p.OrganisationId))],
                    Systems = [.. report.Systems.Where(s => covered.Contains(s.SystemId))],
                    Policies = policies,
                    Accumulations = [.. report.Accumulations.Where(a => a.Insurers.Contains(org))],
                };
            case ActorRole.Operator:
                return report with
                {
                    Parties = [.. report.Parties.Where(p => p.OrganisationId == org)],
                    Systems = [.. report.Systems.Where(s => s.ProviderId == org)],
                    Policies = [.. report.Policies.Where(p => p.InsuredId == org)],
                    Accumulations = [.. report.Accumulations.Where(a => a.Providers.Contains(org))],
                };
            default:
                return report with { Parties = [], Systems = [], Policies = [], Accumulations = [] };
        }
    }
}
