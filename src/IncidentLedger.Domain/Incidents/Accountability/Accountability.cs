using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

public sealed partial class IncidentDecider
{
    private static IReadOnlyList<IIncidentEvent> Assign(AssignAccountability c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "assign accountability on this incident");
        var assigned = new AccountabilityAssigned(
            file.Id, c.AssignmentId, c.PartyId, c.Role, c.Basis, c.SharePercent, c.Standing,
            Rule.Text(c.Rationale, "accountability.rationale_missing", "The rationale of the assignment"),
            c.Now, c.Actor.Subject, c.Actor.Role, c.Actor.OrganisationId);
        if (file.Assignments.FirstOrDefault(a => a.AssignmentId == c.AssignmentId) is { } existing)
        {
            var recorded = new AccountabilityAssigned(
                file.Id, existing.AssignmentId, existing.PartyId, existing.Role, existing.Basis, existing.SharePercent, existing.Standing,
                existing.Rationale, existing.AssignedAt, existing.AssignedBy, existing.AssignedByRole, existing.AssignedByOrganisationId);
            return DomainJson.Same(recorded, assigned)
                ? []
                : throw Rule.Broken("accountability.assignment_id_reused", $"Assignment {c.AssignmentId} already exists on incident {file.Id} with different content; use a new id.");
        }

        Rule.Require(c.AssignmentId != Guid.Empty && c.PartyId != Guid.Empty, "accountability.id_missing", "An assignment needs its own id and the party's organisation id.");
        Rule.Require(c.SharePercent is > 0 and <= 100, "accountability.share_out_of_range", $"A share is a percentage above 0 and at most 100, not {Rule.Percent(c.SharePercent)}.");
        Rule.Require(
            c.Standing == AccountabilityStanding.Presumed || c.Actor.Role is ActorRole.Regulator or ActorRole.Admin,
            "accountability.established_requires_regulator",
            $"{c.Actor.Subject} acts as {Role(c.Actor.Role)}: operators may presume accountability, but only a regulator establishes it.");
        Rule.Require(
            file.Adjudication is null,
            "accountability.already_adjudicated",
            $"Accountability on incident {file.Id} was adjudicated on {Rule.Stamp(file.Adjudication?.AdjudicatedAt ?? default)} ({file.Adjudication?.DecisionReference}); further changes come from a new adjudication.");
        var same = file.Assignments.FirstOrDefault(a => a.IsActive && a.PartyId == c.PartyId && a.Role == c.Role);
        Rule.Require(
            same is null,
            "accountability.party_already_assigned",
            $"Organisation {c.PartyId} already holds an active {Codes.Of(c.Role)} assignment ({same?.AssignmentId}, {Rule.Percent(same?.SharePercent ?? 0)}); withdraw it before assigning a new share.");
        var total = file.ActiveShareTotal + c.SharePercent;
        Rule.Require(
            total <= 100,
            "accountability.shares_exceed_100",
            $"Assigning {Rule.Percent(c.SharePercent)} to {c.PartyId} would bring the active shares on incident {file.Id} to {Rule.Percent(total)}. Active: {DescribeActive(file)}. Withdraw or adjudicate existing assignments first.");
        return [assigned];
    }

    private static string DescribeActive(IncidentFile file) =>
        string.Join("; ", file.Assignments.Where(a => a.IsActive).Select(a => $"{a.PartyId} as {Codes.Of(a.Role)} {Rule.Percent(a.SharePercent)} ({Codes.Of(a.Status)})")) is { Length: > 0 } text ? text : "none";

    private static AccountabilityAssignment AssignmentFor(IncidentFile file, Guid assignmentId, Actor actor, string verb)
    {
        var assignment = file.Assignments.FirstOrDefault(a => a.AssignmentId == assignmentId)
            ?? throw Rule.Broken("accountability.unknown_assignment", $"Incident {file.Id} has no accountability assignment {assignmentId}.");
        Rule.Require(
            actor.Role == ActorRole.Operator && actor.OrganisationId == assignment.PartyId,
            "accountability.not_assigned_party",
            $"Only the assigned party (organisation {assignment.PartyId}) may {verb} assignment {assignmentId}; {actor.Subject} acts for {actor.OrganisationId} as {Role(actor.Role)}.");
        return assignment;
    }

    private static IReadOnlyList<IIncidentEvent> Acknowledge(AcknowledgeAccountability c, IncidentFile file)
    {
        var assignment = AssignmentFor(file, c.AssignmentId, c.Actor, "acknowledge");
        var statement = Rule.Text(c.Statement, "accountability.statement_missing", "The acknowledgement statement");
        if (assignment.Status == AssignmentStatus.Acknowledged)
        {
            return assignment.Statement == statement && assignment.StatusChangedAt == c.Now
                ? []
                : throw Rule.Broken("accountability.already_acknowledged", $"Assignment {c.AssignmentId} was already acknowledged on {Rule.Stamp(assignment.StatusChangedAt ?? default)}.");
        }

        RequireActive(assignment, "acknowledged");
        return [new AccountabilityAcknowledged(file.Id, c.AssignmentId, assignment.PartyId, statement, c.Now, c.Actor.Subject)];
    }

    private static IReadOnlyList<IIncidentEvent> Dispute(DisputeAccountability c, IncidentFile file)
    {
        var assignment = AssignmentFor(file, c.AssignmentId, c.Actor, "dispute");
        var grounds = Rule.Text(c.Grounds, "accountability.grounds_missing", "The grounds of the dispute");
        if (assignment.Status == AssignmentStatus.Disputed && assignment.Grounds == grounds && assignment.ProposedSharePercent == c.ProposedSharePercent && assignment.StatusChangedAt == c.Now)
        {
            return [];
        }

        Rule.Require(
            assignment.Status != AssignmentStatus.Acknowledged,
            "accountability.acknowledged_cannot_be_disputed",
            $"Assignment {c.AssignmentId} was acknowledged on {Rule.Stamp(assignment.StatusChangedAt ?? default)}; an acknowledgement stands, and only an adjudication changes it.");
        RequireActive(assignment, "disputed");
        Rule.Require(
            c.ProposedSharePercent is null || (c.ProposedSharePercent >= 0 && c.ProposedSharePercent < assignment.SharePercent),
            "accountability.proposed_share_invalid",
            $"A disputing party may propose a share from 0 up to (not including) the assigned {Rule.Percent(assignment.SharePercent)}, not {Rule.Percent(c.ProposedSharePercent ?? 0)}.");
        return [new AccountabilityDisputed(file.Id, c.AssignmentId, assignment.PartyId, grounds, c.ProposedSharePercent, c.Now, c.Actor.Subject)];
    }

    private static void RequireActive(AccountabilityAssignment assignment, string verb) =>
        Rule.Require(
            assignment.IsActive,
            "accountability.assignment_not_active",
            $"Assignment {assignment.AssignmentId} is {Codes.Of(assignment.Status)} and can no longer be {verb}.");

    private static IReadOnlyList<IIncidentEvent> Withdraw(WithdrawAccountability c, IncidentFile file)
    {
        var assignment = file.Assignments.FirstOrDefault(a => a.AssignmentId == c.AssignmentId)
            ?? throw Rule.Broken("accountability.unknown_assignment", $"Incident {file.Id} has no accountability assignment {c.AssignmentId}.");
        var reason = Rule.Text(c.Reason, "accountability.reason_missing", "The reason for withdrawing");
        switch (c.Actor.Role)
        {
            case ActorRole.Admin:
                break;
            case ActorRole.Regulator:
                IncidentAccess.RequireRegulatorOf(c.Actor, file, "withdraw an accountability assignment");
                break;
            default:
                Rule.Require(
                    c.Actor.Role == ActorRole.Operator && c.Actor.OrganisationId == assignment.AssignedByOrganisationId,
                    "accountability.not_assigner",
                    $"Only the organisation that made assignment {c.AssignmentId} ({assignment.AssignedByOrganisationId}), a regulator or an admin may withdraw it.");
                break;
        }

        if (assignment.Status == AssignmentStatus.Withdrawn && assignment.Statement == reason && assignment.StatusChangedAt == c.Now)
        {
            return [];
        }

        RequireActive(assignment, "withdrawn");
        return [new AccountabilityWithdrawn(file.Id, c.AssignmentId, reason, c.Now, c.Actor.Subject)];
    }

    private static IReadOnlyList<IIncidentEvent> Adjudicate(AdjudicateAccountability c, IncidentFile file)
    {
        IncidentAccess.RequireRegulatorOf(c.Actor, file, "adjudicate accountability");
        var shares = (c.Shares ?? []).ToArray();
        var adjudicated = new AccountabilityAdjudicated(
            file.Id, c.AdjudicationId, c.Forum,
            Rule.Text(c.DecisionReference, "accountability.decision_reference_missing", "The decision reference", 300),
            shares,
            Rule.Text(c.Rationale, "accountability.rationale_missing", "The rationale of the decision"),
            c.Now, c.Actor.Subject, c.Actor.OrganisationId);
        if (file.Adjudications.FirstOrDefault(a => a.AdjudicationId == c.AdjudicationId) is { } existing)
        {
            return DomainJson.Same(existing, adjudicated)
                ? []
                : throw Rule.Broken("accountability.adjudication_id_reused", $"Adjudication {c.AdjudicationId} was already recorded with different content; use a new id for a new decision.");
        }

        Rule.Require(c.AdjudicationId != Guid.Empty, "accountability.id_missing", "An adjudication needs its own id.");
        foreach (var share in shares)
        {
            Rule.Require(share.PartyId != Guid.Empty, "accountability.id_missing", "Every adjudicated share names the party's organisation id.");
            Rule.Require(share.SharePercent is > 0 and <= 100, "accountability.share_out_of_range", $"An adjudicated share is a percentage above 0 and at most 100, not {Rule.Percent(share.SharePercent)} for {share.PartyId}.");
        }

        var repeated = shares.GroupBy(s => (s.PartyId, s.Role)).FirstOrDefault(g => g.Count() > 1);
        Rule.Require(repeated is null, "accountability.party_repeated", $"Organisation {repeated?.Key.PartyId} appears more than once as {Codes.Of(repeated?.Key.Role ?? default)}; give one share per party and role.");
        var total = shares.Sum(s => s.SharePercent);
        Rule.Require(total <= 100, "accountability.shares_exceed_100", $"The adjudicated shares add up to {Rule.Percent(total)}; they may not exceed 100%.");
        return [adjudicated];
    }
}
