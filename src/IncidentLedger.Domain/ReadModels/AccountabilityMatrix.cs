using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.ReadModels;

/// <summary>One party's standing on one incident.</summary>
public sealed record AccountabilityCell(
    Guid IncidentId,
    string IncidentTitle,
    Guid PartyId,
    string PartyName,
    PartyRole Role,
    AccountabilityBasis Basis,
    decimal SharePercent,
    AccountabilityStanding? Standing,
    string State,
    string? Grounds,
    decimal? ProposedSharePercent,
    string? DecisionReference);

/// <summary>One party across incidents: where it is held accountable, and how it responded.</summary>
public sealed record PartyAccountability(
    Guid PartyId,
    string PartyName,
    int Incidents,
    decimal TotalSharePercent,
    int Pending,
    int Acknowledged,
    int Disputed,
    int Adjudicated);

/// <summary>The accountability matrix: per incident and per party, with the dispute state.</summary>
public static class AccountabilityMatrix
{
    /// <summary>The cells of one incident: the adjudicated shares if decided, else every assignment (withdrawn ones included, marked).</summary>
    public static IReadOnlyList<AccountabilityCell> For(IncidentView incident, LedgerView view)
    {
        var file = incident.File;
        if (file.Adjudication is { } decision)
        {
            return decision.Shares.Select(s => new AccountabilityCell(
                file.Id, file.Title, s.PartyId, view.NameOf(s.PartyId), s.Role, s.Basis, s.SharePercent, AccountabilityStanding.Established,
                $"adjudicated_{Codes.Of(decision.Forum)}", file.Assignments.LastOrDefault(a => a.PartyId == s.PartyId)?.Grounds, null, decision.DecisionReference)).ToArray();
        }

        return file.Assignments.Select(a => new AccountabilityCell(
            file.Id, file.Title, a.PartyId, view.NameOf(a.PartyId), a.Role, a.Basis, a.IsActive ? a.SharePercent : 0, a.Standing,
            Codes.Of(a.Status), a.Grounds, a.ProposedSharePercent, null)).ToArray();
    }

    /// <summary>Every cell of every incident.</summary>
    public static IReadOnlyList<AccountabilityCell> All(LedgerView view) =>
        view.ReportedIncidents.SelectMany(i => For(i, view)).ToArray();

    /// <summary>Per party totals across incidents.</summary>
    public static IReadOnlyList<PartyAccountability> ByParty(LedgerView view) =>
        All(view)
            .GroupBy(c => c.PartyId)
            .Select(g => new PartyAccountability(
                g.Key,
                g.First().PartyName,
                g.Select(c => c.IncidentId).Distinct().Count(),
                g.Sum(c => c.SharePercent),
                g.Count(c => c.State == "pending"),
                g.Count(c => c.State == "acknowledged"),
                g.Count(c => c.State == "disputed"),
                g.Count(c => c.State.StartsWith("adjudicated", StringComparison.Ordinal))))
            .OrderBy(p => p.PartyName, StringComparer.Ordinal)
            .ThenBy(p => p.PartyId)
            .ToArray();
}
