namespace IncidentLedger.Domain;

/// <summary>The role an authenticated caller acts in.</summary>
public enum ActorRole
{
    Operator,
    Regulator,
    Insurer,
    Auditor,
    Admin,
}

/// <summary>
/// The party a command acts for: an authenticated subject, the organisation it acts for, its role,
/// and (for regulators) the jurisdictions it holds. Deciders enforce rules that depend on who acts.
/// </summary>
public sealed record Actor(string Subject, Guid OrganisationId, ActorRole Role, IReadOnlyList<string> Jurisdictions)
{
    /// <summary>True when one of the actor's jurisdictions is <paramref name="jurisdiction"/> or a region containing it (e.g. EU covers DE).</summary>
    public bool Covers(string jurisdiction) => Jurisdictions.Any(held => Regions.Covers(held, jurisdiction));

    /// <summary>True when the actor holds a jurisdiction covering any of <paramref name="jurisdictions"/>.</summary>
    public bool CoversAny(IEnumerable<string> jurisdictions) => jurisdictions.Any(Covers);

    public override string ToString() => $"{Subject} ({Role} of organisation {OrganisationId})";
}
