using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

public sealed partial class IncidentDecider
{
    private static IReadOnlyList<IIncidentEvent> RecordLoss(RecordLoss c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "record losses on this incident", insurers: true);
        var recorded = new LossRecorded(
            file.Id, c.LossId, c.Deaths, c.Injuries, c.FinancialLoss, c.PropertyDamage, c.PeopleAffected, c.Confidence,
            Rule.Text(c.Description, "loss.description_missing", "The loss description"),
            Rule.OptionalText(c.Source, "loss.source_too_long", "The source", 2000),
            c.Supersedes, c.Now, c.Actor.OrganisationId, c.Actor.Subject);
        if (file.Losses.FirstOrDefault(l => l.LossId == c.LossId) is { } existing)
        {
            return DomainJson.Same(existing, recorded)
                ? []
                : throw Rule.Broken("loss.id_reused", $"Loss {c.LossId} was already recorded on {Rule.Stamp(existing.RecordedAt)} with different figures; record a revised estimate under a new id that supersedes it.");
        }

        Rule.Require(c.LossId != Guid.Empty, "loss.id_missing", "Give the loss an id (a new Guid).");
        Rule.Require(c.Deaths >= 0 && c.Injuries >= 0 && c.PeopleAffected is null or >= 0, "loss.negative_count", $"Counts of deaths ({c.Deaths}), injuries ({c.Injuries}) and people affected ({c.PeopleAffected}) cannot be negative.");
        Rule.Require(
            c.Deaths > 0 || c.Injuries > 0 || c.PeopleAffected > 0 || c.FinancialLoss is { IsZero: false } || c.PropertyDamage is { IsZero: false },
            "loss.empty",
            "A loss records at least one death, injury, person affected or amount of money.");
        if (c.Supersedes is { } superseded)
        {
            var earlier = file.Losses.FirstOrDefault(l => l.LossId == superseded);
            Rule.Require(earlier is not null, "loss.unknown_superseded", $"Loss {superseded} is not recorded on incident {file.Id}, so it cannot be superseded.");
            Rule.Require(!file.Losses.Any(l => l.Supersedes == superseded), "loss.already_superseded", $"Loss {superseded} was already superseded by a revised estimate; supersede the latest estimate instead.");
        }

        return [recorded];
    }

    private static IReadOnlyList<IIncidentEvent> Pay(PayCompensation c, IncidentFile file)
    {
        Rule.Require(c.Amount is not null, "compensation.amount_missing", "Give the amount paid.");
        var paid = new CompensationPaid(
            file.Id, c.PaymentId, c.PayerKind, c.PayerId, c.PolicyId, c.Amount!,
            Rule.Text(c.PaidTo, "compensation.recipient_missing", "Who was paid", 500),
            c.Now, c.Actor.Subject);
        RequirePayer(c, file);
        if (file.Payments.FirstOrDefault(p => p.PaymentId == c.PaymentId) is { } existing)
        {
            return DomainJson.Same(existing, paid)
                ? []
                : throw Rule.Broken("compensation.id_reused", $"Payment {c.PaymentId} was already recorded on {Rule.Stamp(existing.PaidAt)} ({existing.Amount}); use a new id for a new payment.");
        }

        Rule.Require(c.PaymentId != Guid.Empty, "compensation.id_missing", "Give the payment an id (a new Guid).");
        Rule.Require(!c.Amount!.IsZero, "compensation.amount_not_positive", "A compensation payment is a positive amount; nothing was paid.");
        return [paid];
    }

    private static void RequirePayer(PayCompensation c, IncidentFile file)
    {
        switch (c.PayerKind)
        {
            case PayerKind.LiableParty:
                Rule.Require(c.PayerId is not null, "compensation.payer_missing", "A liable party's payment names the paying organisation.");
                Rule.Require(
                    file.CurrentShares.Any(s => s.PartyId == c.PayerId),
                    "compensation.payer_not_accountable",
                    $"Organisation {c.PayerId} holds no share of accountability for incident {file.Id}; record it as a voluntary payment by a fund or assign accountability first.");
                Rule.Require(
                    c.Actor.Role == ActorRole.Admin || (c.Actor.Role == ActorRole.Operator && c.Actor.OrganisationId == c.PayerId),
                    "compensation.not_payer",
                    $"A liable party's payment is recorded by that party (organisation {c.PayerId}) or an admin; {c.Actor.Subject} acts for {c.Actor.OrganisationId} as {Role(c.Actor.Role)}.");
                break;
            case PayerKind.Insurer:
                Rule.Require(c.PayerId is not null && c.PolicyId is not null, "compensation.policy_missing", "An insurer's payment names the insurer and the policy it pays under.");
                Rule.Require(
                    c.Actor.Role == ActorRole.Admin || (c.Actor.Role == ActorRole.Insurer && c.Actor.OrganisationId == c.PayerId),
                    "compensation.not_payer",
                    $"An insurer's payment is recorded by that insurer (organisation {c.PayerId}) or an admin; {c.Actor.Subject} acts for {c.Actor.OrganisationId} as {Role(c.Actor.Role)}.");
                break;
            default:
                Rule.Require(
                    c.Actor.Role == ActorRole.Admin || (c.Actor.Role == ActorRole.Regulator && c.Actor.CoversAny(file.Jurisdictions)),
                    "compensation.not_payer",
                    $"A payment by a {Codes.Of(c.PayerKind)} is recorded by a regulator of the incident's jurisdictions ({IncidentAccess.List(file.Jurisdictions)}) or an admin.");
                break;
        }
    }
}
