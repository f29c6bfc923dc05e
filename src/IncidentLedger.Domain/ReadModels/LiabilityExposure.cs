using System.Collections.Immutable;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>A party's share of one incident.</summary>
public sealed record ShareLine(Guid IncidentId, string Title, IncidentStatus IncidentStatus, OecdLevel Level, decimal SharePercent, bool Adjudicated, string State);

/// <summary>Exposure of one insured party (or any party held accountable).</summary>
public sealed record PartyExposure(
    Guid OrganisationId,
    string Name,
    int Incidents,
    int OpenIncidents,
    IReadOnlyList<ShareLine> Shares,
    decimal SeverityWeightedExposure,
    IReadOnlyList<Money> RecordedLosses,
    IReadOnlyList<Money> AttributedLosses,
    IReadOnlyList<Money> CompensationPaid,
    IReadOnlyList<Guid> Policies);

/// <summary>Exposure through one AI system.</summary>
public sealed record SystemExposure(
    Guid SystemId,
    string Name,
    Guid ProviderId,
    Guid? FoundationModelId,
    Guid RootModelId,
    int Incidents,
    int OpenIncidents,
    decimal SeverityWeight,
    IReadOnlyList<Money> RecordedLosses,
    IReadOnlyList<Money> CompensationPaid);

/// <summary>
/// Exposure under one policy: incidents in its period involving a covered system, the insured's attributed losses, and what
/// remains of the limit. Which incidents they are is kept apart, one <see cref="ExposureIncident"/> each, so that the exposure
/// stays the same size however many incidents a policy responds to.
/// </summary>
public sealed record PolicyExposure(
    Guid PolicyId,
    string PolicyNumber,
    Guid InsurerId,
    Guid InsuredId,
    bool InForce,
    IReadOnlyList<Guid> CoveredSystems,
    int Incidents,
    int OpenIncidents,
    decimal SeverityWeightedExposure,
    Money AttributedLosses,
    Money ExpectedRecoverable,
    Money PaidUnderPolicy,
    Money RemainingLimit,
    IReadOnlyList<Money> LossesInOtherCurrencies);

/// <summary>Accumulation: every system building on one foundation model, the policies covering them, and their combined exposure (its incidents are <see cref="ExposureIncident"/>s, as a policy's are).</summary>
public sealed record Accumulation(
    Guid FoundationModelId,
    string FoundationModelName,
    IReadOnlyList<Guid> Systems,
    IReadOnlyList<Guid> Providers,
    IReadOnlyList<Guid> Policies,
    IReadOnlyList<Guid> Insurers,
    int Incidents,
    int OpenIncidents,
    decimal SeverityWeight,
    IReadOnlyList<Money> RecordedLosses);

/// <summary>One incident a policy responds to, or one an accumulation counts (<paramref name="ExposureId"/>: the policy or the root model).</summary>
public sealed record ExposureIncident(string Id, Guid ExposureId, Guid IncidentId)
{
    public static ExposureIncident Of(Guid exposureId, Guid incidentId) => new($"{exposureId:N}:{incidentId:N}", exposureId, incidentId);
}

/// <summary>Which exposures to compute: the parties, systems and accumulations (by root model) named, or every one where null.</summary>
public sealed record ExposureScope(IReadOnlySet<Guid>? Parties, IReadOnlySet<Guid>? Systems, IReadOnlySet<Guid>? Roots)
{
    public static ExposureScope Everything { get; } = new(null, null, null);
}

public sealed record ExposureReport(
    DateTimeOffset AsOf,
    IReadOnlyList<PartyExposure> Parties,
    IReadOnlyList<SystemExposure> Systems,
    IReadOnlyList<PolicyExposure> Policies,
    IReadOnlyList<Accumulation> Accumulations);

/// <summary>
/// Liability exposure for insurers. Severity weights come from the OECD ladder taxonomy; a party's
/// weighted exposure is Σ over open incidents of weight × its share; attributed losses are recorded
/// losses (financial and property, revised estimates replacing earlier ones) × share. Policies are
/// on an occurrence basis: an incident counts when it occurred within the period.
/// </summary>
public static class LiabilityExposure
{
    /// <summary>Exposure as the ledger knew it at <paramref name="asOf"/>.</summary>
    public static ExposureReport AsOf(IEnumerable<Recorded> events, DateTimeOffset asOf) => Compute(LedgerView.AsOf(events, asOf), asOf);

    public static ExposureReport Compute(LedgerView view, DateTimeOffset asOf, TaxonomyCatalogue? taxonomies = null) => Compute(view, asOf, ExposureScope.Everything, taxonomies);

    /// <summary>
    /// The exposure of the parties, systems and accumulations in <paramref name="scope"/>, and of every policy (whether a
    /// policy is in force moves with <paramref name="asOf"/>), from a tally of the view's incidents (<see cref="ExposureTally"/>).
    /// </summary>
    public static ExposureReport Compute(LedgerView view, DateTimeOffset asOf, ExposureScope scope, TaxonomyCatalogue? taxonomies = null) =>
        ExposureTally.Of(view, taxonomies).Report(view, asOf, scope);

    /// <summary>
    /// What a batch of events can have changed in the report: the parties, systems and accumulations the touched incidents
    /// involve before or after it, the organisations renamed, the insured of a changed policy; every system and accumulation
    /// when a system changed (its foundation model moves the root of every system built on it), every accumulation when a
    /// policy changed (a cover moves who accumulates with whom).
    /// </summary>
    public static ExposureScope Affected(LedgerView before, LedgerView after, IEnumerable<Guid> touched)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(touched);
        var parties = new HashSet<Guid>();
        var systems = new HashSet<Guid>();
        var roots = new HashSet<Guid>();
        var (everySystem, everyRoot) = (false, false);
        foreach (var id in touched)
        {
            if (after.Organisations.ContainsKey(id) || before.Organisations.ContainsKey(id))
            {
                parties.Add(id);
            }

            if (after.Systems.ContainsKey(id))
            {
                // A system's profile can move the root model of every system built on it, and so their exposures and every accumulation.
                everySystem = true;
                everyRoot = true;
            }

            foreach (var view in new[] { before, after })
            {
                if (view.Policies.GetValueOrDefault(id)?.TermsOrDefault is { } terms)
                {
                    parties.Add(terms.InsuredId);
                    everyRoot = true;
                }

                if (view.Incidents.GetValueOrDefault(id)?.State.FileOrDefault is { } file)
                {
                    parties.UnionWith(file.ExposedParties);
                    parties.UnionWith(file.Payments.Select(p => p.PayerId).OfType<Guid>());
                    foreach (var system in file.Systems)
                    {
                        systems.Add(system.SystemId);
                        roots.Add(RootOf(after, system.SystemId));
                    }
                }
            }
        }

        return new ExposureScope(parties, everySystem ? null : systems, everyRoot ? null : roots);
    }

    /// <summary>The root of a system's foundation-model chain (the system itself when it builds on none).</summary>
    public static Guid RootOf(LedgerView view, Guid systemId)
    {
        var current = systemId;
        var seen = new HashSet<Guid> { current };
        while (view.SystemProfile(current)?.FoundationModelId is { } parent && seen.Add(parent))
        {
            current = parent;
        }

        return current;
    }

    /// <summary>Amounts summed per currency, in currency order.</summary>
    public static IReadOnlyList<Money> Totals(IEnumerable<Money> amounts)
    {
        var totals = new CurrencySums();
        totals.AddAll(amounts);
        return totals.Totals();
    }

    internal static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
