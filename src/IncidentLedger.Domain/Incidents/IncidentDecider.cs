using System.Diagnostics;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

/// <summary>
/// The incident stream's decider. Commands for unknown incidents are rejected (except reporting),
/// commands for closed incidents are rejected (except reopening), and a repeated command is a no-op.
/// Each use case's rules live next to its messages (Reporting/, Notifications/, Accountability/, Losses/, Remediation/).
/// </summary>
public sealed partial class IncidentDecider : IDecider<Incident, IIncidentCommand, IIncidentEvent>
{
    public static Incident Initial => Incident.None.Instance;

    /// <summary>The deadline rules the decider applies (those compiled into this build).</summary>
    public static RuleCatalogue Rules => RuleCatalogue.Default;

    public static Incident Evolve(Incident state, IIncidentEvent @event) => Incident.Evolve(state, @event);

    public static IReadOnlyList<IIncidentEvent> Decide(IIncidentCommand command, Incident state)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        Rule.Require(command.Actor is not null && !string.IsNullOrWhiteSpace(command.Actor.Subject), "command.actor_missing", $"{Name(command)} names no acting subject; every event records who caused it.");
        if (state.FileOrDefault is { } file)
        {
            Rule.Require(file.Id == command.IncidentId, "incident.wrong_stream", $"{Name(command)} is for incident {command.IncidentId} but was applied to the stream of incident {file.Id}.");
        }

        return (command, state) switch
        {
            (ReportIncident c, _) => Report(c, state),
            (ReopenIncident c, _) => Reopen(c, state),
            (_, Incident.None) => throw Rule.Broken("incident.unknown", $"Incident {command.IncidentId} has not been reported, so {Name(command)} cannot be applied to it. Report the incident first."),
            (CloseIncident c, Incident.Closed closed) => RepeatClose(c, closed),
            (CheckReportingClocks, Incident.Closed) => [],
            (_, Incident.Closed closed) => throw Rule.Broken(
                "incident.closed",
                $"Incident {command.IncidentId} was closed on {Rule.Stamp(closed.Closure.ClosedAt)} as {Codes.Of(closed.Closure.Resolution)}; nothing can be recorded on a closed incident. Reopen it first to apply {Name(command)}."),
            (_, Incident.Open open) => DecideOpen(command, open.File),
            _ => throw new UnreachableException($"An incident is None, Open or Closed, never {state.GetType().Name}."),
        };
    }

    private static IReadOnlyList<IIncidentEvent> DecideOpen(IIncidentCommand command, IncidentFile file) => command switch
    {
        AmendReport c => Amend(c, file),
        AttachEvidence c => Attach(c, file),
        AssessSeverity c => Assess(c, file),
        RecordRiskAssessment c => RecordRisk(c, file),
        LinkIncident c => Link(c, file),
        CloseIncident c => Close(c, file),
        NotifyRegulator c => Notify(c, file),
        NotifyProvider c => Notify(c, file),
        CheckReportingClocks c => [.. ReportingClocks.Overdue(file, c.Now)],
        AssignAccountability c => Assign(c, file),
        AcknowledgeAccountability c => Acknowledge(c, file),
        DisputeAccountability c => Dispute(c, file),
        WithdrawAccountability c => Withdraw(c, file),
        AdjudicateAccountability c => Adjudicate(c, file),
        RecordCorrectiveAction c => RecordAction(c, file),
        RecordLoss c => RecordLoss(c, file),
        PayCompensation c => Pay(c, file),
        TakeRegulatoryAction c => TakeAction(c, file),
        _ => throw Rule.Broken("command.unknown", $"{Name(command)} is not an incident command this decider knows."),
    };

    /// <summary>The primary event followed by the clock changes it causes.</summary>
    private static IReadOnlyList<IIncidentEvent> WithClocks(IncidentFile file, IIncidentEvent primary, DateTimeOffset now, string reason)
    {
        var after = file.Apply(primary);
        return [primary, .. ReportingClocks.Reconcile(after, now, reason, Rules)];
    }

    internal static string Name(object command) => command.GetType().Name;

    internal static string Role(ActorRole role) => Codes.Of(role);
}
