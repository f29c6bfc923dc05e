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

/// <summary>Exposure under one policy: incidents in its period involving a covered system, the insured's attributed losses, and what remains of the limit.</summary>
public sealed record PolicyExposure(
    Guid PolicyId,
    string PolicyNumber,
    Guid InsurerId,
    Guid InsuredId,
    bool InForce,
    IReadOnlyList<Guid> CoveredSystems,
    IReadOnlyList<Guid> IncidentIds,
    int OpenIncidents,
    decimal SeverityWeightedExposure,
    Money AttributedLosses,
    Money ExpectedRecoverable,
    Money PaidUnderPolicy,
    Money RemainingLimit,
    IReadOnlyList<Money> LossesInOtherCurrencies);

/// <summary>Accumulation: every system building on one foundation model, the policies covering them, and their combined exposure.</summary>
public sealed record Accumulation(
    Guid FoundationModelId,
    string FoundationModelName,
    IReadOnlyList<Guid> Systems,
    IReadOnlyList<Guid> Providers,
    IReadOnlyList<Guid> Policies,
    IReadOnlyList<Guid> Insurers,
    IReadOnlyList<Guid> IncidentIds,
    int OpenIncidents,
    decimal SeverityWeight,
    IReadOnlyList<Money> RecordedLosses);

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
    /// policy is in force moves with <paramref name="asOf"/>). Each is computed from the incidents the view indexes under it,
    /// so the work follows what the scope's members are involved in rather than the whole register.
    /// </summary>
    public static ExposureReport Compute(LedgerView view, DateTimeOffset asOf, ExposureScope scope, TaxonomyCatalogue? taxonomies = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(scope);
        var weights = taxonomies ?? TaxonomyCatalogue.Default;
        decimal Weight(IncidentFile f) => weights.Weight(f.Classification.Level);
        var policies = view.Policies.Values.Select(p => (Policy: p, Terms: p.TermsOrDefault!)).Where(p => p.Terms is not null).ToArray();
        var insuredUnder = policies.ToLookup(p => p.Terms.InsuredId, p => p.Terms.PolicyId);

        // A party has exposure when it holds a share of an incident, provides an involved system, or is insured.
        bool Exposed(Guid party) => insuredUnder.Contains(party) || view.IncidentsIn(view.IncidentsByParty, party)
            .Any(i => i.File.Systems.Any(s => s.ProviderId == party) || i.File.HoldsShare(party));
        var parties = (scope.Parties ?? view.IncidentsByParty.Keys.Concat(insuredUnder.Select(g => g.Key)))
            .Distinct()
            .Where(Exposed)
            .Order()
            .Select(id =>
            {
                // One pass over the party's incidents, summing as it goes: a party can be exposed to thousands of them.
                var (incidents, open, weighted) = (0, 0, 0m);
                var shares = new List<ShareLine>();
                var (losses, attributed) = (new CurrencyTotals(), new CurrencyTotals());
                foreach (var incident in view.IncidentsIn(view.IncidentsByParty, id))
                {
                    var (file, isOpen) = (incident.File, incident.State.Status == IncidentStatus.Open);
                    var share = file.ShareOf(id);
                    incidents++;
                    open += isOpen ? 1 : 0;
                    weighted += isOpen ? Weight(file) * share / 100m : 0m;
                    if (share > 0)
                    {
                        shares.Add(new ShareLine(file.Id, file.Title, incident.State.Status, file.Classification.Level, share, file.Adjudication is not null, StateOf(file, id)));
                    }

                    foreach (var loss in file.CurrentLossAmounts)
                    {
                        losses.Add(loss.Amount, loss.Currency);
                        attributed.Add(loss.Amount * share / 100m, loss.Currency);
                    }
                }

                var paid = new CurrencyTotals();
                foreach (var payment in view.IncidentsIn(view.IncidentsByPayer, id).SelectMany(i => i.File.Payments).Where(p => p.PayerId == id))
                {
                    paid.Add(payment.Amount.Amount, payment.Amount.Currency);
                }

                return new PartyExposure(id, view.NameOf(id), incidents, open, shares, Round(weighted), losses.Totals(), attributed.Totals(), paid.Totals(), insuredUnder[id].ToArray());
            })
            .ToArray();

        var chains = view.Systems.Values.Select(s => s.ProfileOrDefault).OfType<AiSystemProfile>().Select(s => (System: s, Root: RootOf(view, s.SystemId))).ToArray();
        var systems = chains.Where(c => scope.Systems?.Contains(c.System.SystemId) ?? true).Select(c =>
        {
            var s = c.System;
            var (incidents, open, weight) = (0, 0, 0m);
            var (losses, paid) = (new CurrencyTotals(), new CurrencyTotals());
            foreach (var incident in view.IncidentsIn(view.IncidentsBySystem, s.SystemId))
            {
                var isOpen = incident.State.Status == IncidentStatus.Open;
                incidents++;
                open += isOpen ? 1 : 0;
                weight += isOpen ? Weight(incident.File) : 0m;
                losses.AddAll(incident.File.CurrentLossAmounts);
                paid.AddAll(incident.File.Payments.Select(p => p.Amount));
            }

            return new SystemExposure(
                s.SystemId, s.Name, s.ProviderId, s.FoundationModelId, c.Root, incidents, open, Round(weight), losses.Totals(), paid.Totals());
        }).ToArray();

        // The incidents involving any of these systems, in id order: the largest system's set with the others added to it.
        IEnumerable<IncidentView> Through(IEnumerable<Guid> members)
        {
            var sets = members.Select(m => view.IncidentsBySystem.GetValueOrDefault(m, ImmutableSortedSet<Guid>.Empty)).OrderByDescending(set => set.Count).ToArray();
            var all = sets.Length == 0 ? ImmutableSortedSet<Guid>.Empty : sets.Skip(1).Aggregate(sets[0], (union, set) => union.Union(set));
            return all.Select(id => view.Incidents[id]);
        }

        var policyExposures = policies.Select(p => PolicyExposureOf(p.Policy, p.Terms, Through(p.Terms.CoveredSystems).Select(i => (i.File, i.State.Status == IncidentStatus.Open)), asOf, Weight)).ToArray();

        var accumulations = chains
            .Where(c => c.System.FoundationModelId is not null && (scope.Roots?.Contains(c.Root) ?? true))
            .GroupBy(c => c.Root)
            .Select(g =>
            {
                var members = chains.Where(c => c.Root == g.Key).Select(c => c.System).ToArray();
                var memberIds = members.Select(s => s.SystemId).ToArray();
                var covering = policyExposures.Where(p => p.CoveredSystems.Any(memberIds.Contains)).ToArray();
                var (incidentIds, open, weight, losses) = (new List<Guid>(), 0, 0m, new CurrencyTotals());
                foreach (var incident in Through(memberIds))
                {
                    var isOpen = incident.State.Status == IncidentStatus.Open;
                    incidentIds.Add(incident.IncidentId);
                    open += isOpen ? 1 : 0;
                    weight += isOpen ? Weight(incident.File) : 0m;
                    losses.AddAll(incident.File.CurrentLossAmounts);
                }

                return new Accumulation(
                    g.Key,
                    view.SystemProfile(g.Key)?.Name ?? g.Key.ToString(),
                    memberIds,
                    members.Select(s => s.ProviderId).Distinct().Order().ToArray(),
                    covering.Select(p => p.PolicyId).ToArray(),
                    covering.Select(p => p.InsurerId).Distinct().Order().ToArray(),
                    incidentIds,
                    open,
                    Round(weight),
                    losses.Totals());
            })
            .OrderBy(a => a.FoundationModelId)
            .ToArray();

        return new ExposureReport(asOf, parties, systems, policyExposures, accumulations);
    }

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

    /// <summary>A policy's exposure, from the incidents involving a system it covers (in id order).</summary>
    private static PolicyExposure PolicyExposureOf(Policy policy, PolicyTerms terms, IEnumerable<(IncidentFile File, bool Open)> incidents, DateTimeOffset asOf, Func<IncidentFile, decimal> weight)
    {
        var inForce = policy is Policy.InForce && asOf >= terms.PeriodStart && asOf < terms.PeriodEnd;
        var lapsedAt = policy is Policy.Lapsed lapsed ? lapsed.Lapse.EffectiveAt : terms.PeriodEnd;
        var covered = incidents
            .Where(i => i.File.OccurredAt >= terms.PeriodStart && i.File.OccurredAt < lapsedAt && i.File.OccurredAt < terms.PeriodEnd)
            .Where(i => i.File.Exposes(terms.InsuredId))
            .ToArray();
        var currency = terms.Limit.Currency;
        var perIncident = covered.Select(i => i.File.CurrentLossAmounts.Where(m => m.Currency == currency).Sum(m => m.Amount) * i.File.ShareOf(terms.InsuredId) / 100m).ToArray();
        var attributed = perIncident.Sum();
        var recoverable = Math.Min(terms.Limit.Amount, perIncident.Sum(loss => Math.Max(0, loss - terms.Retention.Amount)));
        var paid = covered.SelectMany(i => i.File.Payments)
            .Where(p => p.PolicyId == terms.PolicyId && p.PayerKind == PayerKind.Insurer && p.Amount.Currency == currency)
            .Sum(p => p.Amount.Amount);
        return new PolicyExposure(
            terms.PolicyId,
            terms.PolicyNumber,
            terms.InsurerId,
            terms.InsuredId,
            inForce,
            terms.CoveredSystems,
            covered.Select(i => i.File.Id).ToArray(),
            covered.Count(i => i.Open),
            Round(covered.Where(i => i.Open).Sum(i => weight(i.File) * i.File.ShareOf(terms.InsuredId) / 100m)),
            new Money(Round(attributed), currency),
            new Money(Round(recoverable), currency),
            new Money(Round(paid), currency),
            new Money(Round(Math.Max(0, terms.Limit.Amount - paid)), currency),
            Totals(covered.SelectMany(i => i.File.CurrentLossAmounts).Where(m => m.Currency != currency)));
    }

    private static string StateOf(IncidentFile file, Guid party) =>
        file.Adjudication is not null ? "adjudicated" : string.Join(",", file.Assignments.Where(a => a.PartyId == party && a.IsActive).Select(a => Codes.Of(a.Status)));

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

    /// <summary>Sums per currency as amounts arrive, rounded per currency, in currency order.</summary>
    private sealed class CurrencyTotals
    {
        private readonly SortedDictionary<string, decimal> sums = new(StringComparer.Ordinal);

        public void Add(decimal amount, string currency) => sums[currency] = sums.GetValueOrDefault(currency) + amount;

        public void AddAll(IEnumerable<Money> amounts)
        {
            foreach (var money in amounts)
            {
                Add(money.Amount, money.Currency);
            }
        }

        public IReadOnlyList<Money> Totals() => [.. sums.Select(s => new Money(Round(s.Value), s.Key))];
    }

    /// <summary>Amounts summed per currency, in currency order.</summary>
    public static IReadOnlyList<Money> Totals(IEnumerable<Money> amounts)
    {
        var totals = new CurrencyTotals();
        totals.AddAll(amounts);
        return totals.Totals();
    }

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
