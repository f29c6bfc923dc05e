using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>
/// The sums behind liability exposure, kept per exposed party, payer, AI system, policy and root model. Every reported
/// incident adds what it contributes to each exposure it belongs to; a changed incident takes back what it contributed
/// before and adds what it contributes now. A batch of incident events so costs what its incidents touch, not what the
/// register holds. Each sum has the value and the decimal scale that adding up its present contributions from zero gives
/// (<see cref="ExactSum"/>), so a tally carried through any batches reports what a tally of the same view built afresh
/// reports. Which systems build on which root model and what each policy covers are fixed in a tally: a batch that
/// changes a system or a policy builds it again.
/// </summary>
public sealed class ExposureTally
{
    private readonly TaxonomyCatalogue weights;
    private readonly Dictionary<Guid, Tally> parties = [];
    private readonly Dictionary<Guid, CurrencySums> payers = [];
    private readonly Dictionary<Guid, Tally> systems = [];
    private readonly Dictionary<Guid, Tally> roots = [];
    private readonly Dictionary<Guid, Tally> policies = [];
    private readonly Dictionary<Guid, Guid> rootOf = [];
    private readonly HashSet<Guid> accumulating = [];
    private readonly (Policy Policy, PolicyTerms Terms)[] terms;
    private readonly Dictionary<(Guid ExposureId, Guid IncidentId), int> moves = [];

    private ExposureTally(LedgerView view, TaxonomyCatalogue weights)
    {
        this.weights = weights;
        foreach (var system in view.Systems.Values.Select(s => s.ProfileOrDefault).OfType<AiSystemProfile>())
        {
            rootOf[system.SystemId] = LiabilityExposure.RootOf(view, system.SystemId);
            if (system.FoundationModelId is not null)
            {
                accumulating.Add(rootOf[system.SystemId]);
            }
        }

        terms = [.. view.Policies.Values.Select(p => (Policy: p, Terms: p.TermsOrDefault!)).Where(p => p.Terms is not null)];
        foreach (var incident in view.ReportedIncidents)
        {
            Count(incident, +1);
        }

        moves.Clear();
    }

    /// <summary>A tally of every reported incident in <paramref name="view"/>.</summary>
    public static ExposureTally Of(LedgerView view, TaxonomyCatalogue? taxonomies = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new ExposureTally(view, taxonomies ?? TaxonomyCatalogue.Default);
    }

    /// <summary>
    /// The tally after a batch took <paramref name="before"/> (this tally's view) to <paramref name="after"/> through the
    /// <paramref name="touched"/> streams: this one with the touched incidents counted again (what they moved in or out of a
    /// policy or accumulation is then in <see cref="TakeMoves"/>), or a new one when a system or policy among them changed
    /// (what moved is then the difference between the two tallies' <see cref="ExposureIncidents"/>; this one is left as it was).
    /// </summary>
    public ExposureTally Apply(LedgerView before, LedgerView after, IReadOnlyCollection<Guid> touched)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(touched);
        if (touched.Any(id => before.Systems.ContainsKey(id) || after.Systems.ContainsKey(id) || before.Policies.ContainsKey(id) || after.Policies.ContainsKey(id)))
        {
            return new ExposureTally(after, weights);
        }

        foreach (var id in touched)
        {
            var (was, now) = (before.Incidents.GetValueOrDefault(id), after.Incidents.GetValueOrDefault(id));
            if (ReferenceEquals(was, now))
            {
                continue;
            }

            if (was?.State.FileOrDefault is not null)
            {
                Count(was, -1);
            }

            if (now?.State.FileOrDefault is not null)
            {
                Count(now, +1);
            }
        }

        return this;
    }

    /// <summary>Adds (<paramref name="sign"/> +1) or takes back (-1) what <paramref name="incident"/> contributes to each exposure it belongs to.</summary>
    private void Count(IncidentView incident, int sign)
    {
        var (file, open) = (incident.File, incident.State.Status == IncidentStatus.Open);
        var weight = weights.Weight(file.Classification.Level);
        var losses = file.CurrentLossAmounts.ToArray();

        foreach (var party in file.ExposedParties)
        {
            var share = file.ShareOf(party);
            var tally = Of(parties, party);
            tally.Counted(sign, open, open ? weight * share / 100m : 0m);
            if (share > 0)
            {
                tally.Listed(sign, file.Id, new ShareLine(file.Id, file.Title, incident.State.Status, file.Classification.Level, share, file.Adjudication is not null, StateOf(file, party)));
            }

            foreach (var loss in losses)
            {
                tally.Losses.Add(loss.Amount, loss.Currency, sign);
                tally.Attributed.Add(loss.Amount * share / 100m, loss.Currency, sign);
            }

            tally.Exposing += file.Systems.Any(s => s.ProviderId == party) || file.HoldsShare(party) ? sign : 0;
            Forget(parties, party, tally);
        }

        foreach (var payment in file.Payments.Where(p => p.PayerId is not null))
        {
            var paid = payers.TryGetValue(payment.PayerId!.Value, out var sums) ? sums : payers[payment.PayerId.Value] = new CurrencySums();
            paid.Add(payment.Amount.Amount, payment.Amount.Currency, sign);
        }

        var involved = file.Systems.Select(s => s.SystemId).Distinct().ToArray();
        foreach (var system in involved)
        {
            var tally = Of(systems, system);
            tally.Counted(sign, open, open ? weight : 0m);
            tally.Losses.AddAll(losses, sign);
            foreach (var payment in file.Payments)
            {
                tally.Paid.Add(payment.Amount.Amount, payment.Amount.Currency, sign);
            }

            Forget(systems, system, tally);
        }

        foreach (var root in involved.Where(rootOf.ContainsKey).Select(s => rootOf[s]).Where(accumulating.Contains).Distinct())
        {
            var tally = Of(roots, root);
            tally.Counted(sign, open, open ? weight : 0m);
            Listed(tally, root, file.Id, sign);
            tally.Losses.AddAll(losses, sign);
            Forget(roots, root, tally);
        }

        foreach (var (policy, covers) in terms)
        {
            var lapsedAt = policy is Policy.Lapsed lapsed ? lapsed.Lapse.EffectiveAt : covers.PeriodEnd;
            if (!involved.Any(covers.CoveredSystems.Contains)
                || file.OccurredAt < covers.PeriodStart || file.OccurredAt >= lapsedAt || file.OccurredAt >= covers.PeriodEnd
                || !file.Exposes(covers.InsuredId))
            {
                continue;
            }

            var (currency, share) = (covers.Limit.Currency, file.ShareOf(covers.InsuredId));
            var attributed = losses.Where(m => m.Currency == currency).Sum(m => m.Amount) * share / 100m;
            var tally = Of(policies, covers.PolicyId);
            tally.Counted(sign, open, open ? weight * share / 100m : null);
            Listed(tally, covers.PolicyId, file.Id, sign);
            tally.Attributed.Add(attributed, currency, sign);
            tally.Recoverable.Add(Math.Max(0, attributed - covers.Retention.Amount), sign);
            foreach (var payment in file.Payments.Where(p => p.PolicyId == covers.PolicyId && p.PayerKind == PayerKind.Insurer && p.Amount.Currency == currency))
            {
                tally.Paid.Add(payment.Amount.Amount, currency, sign);
            }

            foreach (var loss in losses.Where(m => m.Currency != currency))
            {
                tally.Losses.Add(loss.Amount, loss.Currency, sign);
            }

            Forget(policies, covers.PolicyId, tally);
        }
    }

    /// <summary>
    /// The exposure of the parties, systems and accumulations in <paramref name="scope"/> and of every policy, for
    /// <paramref name="view"/> (the view this tally counted) at <paramref name="asOf"/>.
    /// </summary>
    public ExposureReport Report(LedgerView view, DateTimeOffset asOf, ExposureScope scope)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(scope);
        var insuredUnder = terms.ToLookup(p => p.Terms.InsuredId, p => p.Terms.PolicyId);

        // A party has exposure when it holds a share of an incident, provides an involved system, or is insured.
        var partyExposures = (scope.Parties ?? parties.Keys.Concat(insuredUnder.Select(g => g.Key)))
            .Distinct()
            .Where(id => insuredUnder.Contains(id) || parties.GetValueOrDefault(id)?.Exposing > 0)
            .Order()
            .Select(id =>
            {
                var tally = parties.GetValueOrDefault(id) ?? Tally.None;
                return new PartyExposure(
                    id, view.NameOf(id), tally.Incidents, tally.Open, [.. tally.Shares.Values], Round(tally.Weighted.Value),
                    tally.Losses.Totals(), tally.Attributed.Totals(), payers.GetValueOrDefault(id)?.Totals() ?? [], insuredUnder[id].ToArray());
            })
            .ToArray();

        var chains = view.Systems.Values.Select(s => s.ProfileOrDefault).OfType<AiSystemProfile>().ToArray();
        var systemExposures = chains.Where(s => scope.Systems?.Contains(s.SystemId) ?? true).Select(s =>
        {
            var tally = systems.GetValueOrDefault(s.SystemId) ?? Tally.None;
            return new SystemExposure(
                s.SystemId, s.Name, s.ProviderId, s.FoundationModelId, rootOf[s.SystemId], tally.Incidents, tally.Open, Round(tally.Weighted.Value), tally.Losses.Totals(), tally.Paid.Totals());
        }).ToArray();

        var policyExposures = terms.Select(p =>
        {
            var (covers, tally) = (p.Terms, policies.GetValueOrDefault(p.Terms.PolicyId) ?? Tally.None);
            var currency = covers.Limit.Currency;
            var paid = tally.Paid.Of(currency);
            return new PolicyExposure(
                covers.PolicyId,
                covers.PolicyNumber,
                covers.InsurerId,
                covers.InsuredId,
                p.Policy is Policy.InForce && asOf >= covers.PeriodStart && asOf < covers.PeriodEnd,
                covers.CoveredSystems,
                tally.Incidents,
                tally.Open,
                Round(tally.Weighted.Value),
                new Money(Round(tally.Attributed.Of(currency)), currency),
                new Money(Round(Math.Min(covers.Limit.Amount, tally.Recoverable.Value)), currency),
                new Money(Round(paid), currency),
                new Money(Round(Math.Max(0, covers.Limit.Amount - paid)), currency),
                tally.Losses.Totals());
        }).ToArray();

        var accumulations = chains
            .Where(s => s.FoundationModelId is not null && (scope.Roots?.Contains(rootOf[s.SystemId]) ?? true))
            .Select(s => rootOf[s.SystemId])
            .Distinct()
            .Order()
            .Select(root =>
            {
                var members = chains.Where(s => rootOf[s.SystemId] == root).ToArray();
                var memberIds = members.Select(s => s.SystemId).ToArray();
                var covering = policyExposures.Where(p => p.CoveredSystems.Any(memberIds.Contains)).ToArray();
                var tally = roots.GetValueOrDefault(root) ?? Tally.None;
                return new Accumulation(
                    root,
                    view.SystemProfile(root)?.Name ?? root.ToString(),
                    memberIds,
                    members.Select(s => s.ProviderId).Distinct().Order().ToArray(),
                    covering.Select(p => p.PolicyId).ToArray(),
                    covering.Select(p => p.InsurerId).Distinct().Order().ToArray(),
                    tally.Incidents,
                    tally.Open,
                    Round(tally.Weighted.Value),
                    tally.Losses.Totals());
            })
            .ToArray();

        return new ExposureReport(asOf, partyExposures, systemExposures, policyExposures, accumulations);
    }

    /// <summary>The incidents each policy responds to and each accumulation counts, by policy or root model and incident.</summary>
    public IEnumerable<ExposureIncident> ExposureIncidents =>
        policies.Concat(roots).SelectMany(t => t.Value.Ids.Select(id => ExposureIncident.Of(t.Key, id)));

    /// <summary>The incidents that entered (true) or left a policy's or accumulation's count since the tally was made or last asked.</summary>
    public IReadOnlyList<(ExposureIncident Incident, bool Entered)> TakeMoves()
    {
        var taken = moves.Select(m => (ExposureIncident.Of(m.Key.ExposureId, m.Key.IncidentId), m.Value > 0)).ToArray();
        moves.Clear();
        return taken;
    }

    /// <summary>Lists an incident in or out of a policy's or accumulation's tally, noting the move (an incident counted out and in again has not moved).</summary>
    private void Listed(Tally tally, Guid exposureId, Guid incidentId, int sign)
    {
        tally.Listed(sign, incidentId);
        var net = moves.GetValueOrDefault((exposureId, incidentId)) + sign;
        if (net == 0)
        {
            moves.Remove((exposureId, incidentId));
        }
        else
        {
            moves[(exposureId, incidentId)] = net;
        }
    }

    private static Tally Of(Dictionary<Guid, Tally> tallies, Guid key) =>
        tallies.TryGetValue(key, out var tally) ? tally : tallies[key] = new Tally();

    /// <summary>Drops a tally no incident counts in any more, so the keys are those some incident is under.</summary>
    private static void Forget(Dictionary<Guid, Tally> tallies, Guid key, Tally tally)
    {
        if (tally.Incidents == 0)
        {
            tallies.Remove(key);
        }
    }

    private static string StateOf(IncidentFile file, Guid party) =>
        file.Adjudication is not null ? "adjudicated" : string.Join(",", file.Assignments.Where(a => a.PartyId == party && a.IsActive).Select(a => Codes.Of(a.Status)));

    private static decimal Round(decimal value) => LiabilityExposure.Round(value);

    /// <summary>What the incidents under one key add up to; each kind of exposure reads the parts it has.</summary>
    private sealed class Tally
    {
        public static Tally None { get; } = new();

        public int Incidents { get; private set; }

        public int Open { get; private set; }

        /// <summary>Of a party's incidents, those in which it provides an involved system or holds a share (what makes it exposed).</summary>
        public int Exposing { get; set; }

        public ExactSum Weighted { get; } = new();

        public ExactSum Recoverable { get; } = new();

        public CurrencySums Losses { get; } = new();

        public CurrencySums Attributed { get; } = new();

        public CurrencySums Paid { get; } = new();

        public SortedDictionary<Guid, ShareLine> Shares { get; } = [];

        public SortedSet<Guid> Ids { get; } = [];

        /// <summary>Counts one incident in or out, with its weight when it adds one (a policy adds the weight of open incidents only).</summary>
        public void Counted(int sign, bool open, decimal? weight)
        {
            Incidents += sign;
            Open += open ? sign : 0;
            if (weight is { } value)
            {
                Weighted.Add(value, sign);
            }
        }

        public void Listed(int sign, Guid incidentId)
        {
            if (sign > 0)
            {
                Ids.Add(incidentId);
            }
            else
            {
                Ids.Remove(incidentId);
            }
        }

        public void Listed(int sign, Guid incidentId, ShareLine line)
        {
            if (sign > 0)
            {
                Shares.Add(incidentId, line);
            }
            else
            {
                Shares.Remove(incidentId);
            }
        }
    }
}

/// <summary>
/// A sum of decimals that can also take an addend back. Decimal addition is exact and keeps the larger scale of its
/// operands, so the sum of the addends present has the scale of the largest-scaled one; this keeps how many addends of
/// each scale are present, and gives the sum at that scale (taking back an addend of a larger scale leaves its zeros).
/// </summary>
public sealed class ExactSum
{
    private readonly int[] scales = new int[29];
    private decimal sum;

    /// <summary>How many addends are present.</summary>
    public int Count { get; private set; }

    public decimal Value
    {
        get
        {
            var scale = Array.FindLastIndex(scales, n => n > 0);
            return scale < 0 ? 0m : sum.Scale > scale ? Math.Round(sum, scale) : sum;
        }
    }

    /// <summary>Adds <paramref name="value"/> (<paramref name="sign"/> +1) or takes it back (-1).</summary>
    public void Add(decimal value, int sign = 1)
    {
        sum = sign > 0 ? sum + value : sum - value;
        scales[value.Scale] += sign;
        Count += sign;
    }
}

/// <summary>Sums per currency (<see cref="ExactSum"/>), reported rounded per currency, in currency order, for each currency some addend is in.</summary>
public sealed class CurrencySums
{
    private readonly SortedDictionary<string, ExactSum> sums = new(StringComparer.Ordinal);

    public void Add(decimal amount, string currency, int sign = 1)
    {
        if (!sums.TryGetValue(currency, out var sum))
        {
            sums[currency] = sum = new ExactSum();
        }

        sum.Add(amount, sign);
        if (sum.Count == 0)
        {
            sums.Remove(currency);
        }
    }

    public void AddAll(IEnumerable<Money> amounts, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        foreach (var money in amounts)
        {
            Add(money.Amount, money.Currency, sign);
        }
    }

    /// <summary>The sum in <paramref name="currency"/>, 0 when nothing is in it.</summary>
    public decimal Of(string currency) => sums.TryGetValue(currency, out var sum) ? sum.Value : 0m;

    public IReadOnlyList<Money> Totals() => [.. sums.Select(s => new Money(LiabilityExposure.Round(s.Value.Value), s.Key))];
}
