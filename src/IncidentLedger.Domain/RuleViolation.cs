namespace IncidentLedger.Domain;

/// <summary>
/// A command broke a domain rule. <see cref="Code"/> is stable and machine-readable
/// (e.g. "accountability.shares_exceed_100"); the message names the rule and the current state.
/// A rejected command yields no events.
/// </summary>
#pragma warning disable CA1032, CA1710 // Always carries a code (no parameterless constructors); the name is the domain's term, shared with the API.
public sealed class RuleViolation(string code, string message) : Exception(message)
#pragma warning restore CA1032, CA1710
{
    public string Code { get; } = code;
}
