using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Incidents;

public sealed partial class IncidentDecider
{
    private static IReadOnlyList<IIncidentEvent> Notify(NotifyRegulator c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "record a notification on this incident");
        Rule.Require(c.Authority != Recipient.Provider, "notification.use_notify_provider", "A notification to the provider of a system is recorded with NotifyProvider (EU AI Act Art. 26(5)), not NotifyRegulator.");
        var jurisdiction = Regions.Normalise([c.Jurisdiction], "notification.jurisdiction_invalid", "The notification's jurisdiction").Single();
        Rule.Require(
            file.Jurisdictions.Any(j => Regions.Covers(jurisdiction, j)),
            "notification.outside_jurisdictions",
            $"The notification goes to an authority of {jurisdiction}, but incident {file.Id} is in {IncidentAccess.List(file.Jurisdictions)}.");
        var notified = new RegulatorNotified(
            file.Id, c.NotificationId, c.Authority,
            Rule.Text(c.AuthorityName, "notification.authority_missing", "The authority's name", 300),
            jurisdiction, c.ReportType,
            Rule.OptionalText(c.Reference, "notification.reference_too_long", "The reference", 300),
            c.Now, c.Actor.OrganisationId, c.Actor.Subject);
        if (Repeated(file, c.NotificationId, notified, existing => existing is { ProviderId: null } && existing.Recipient == notified.Authority && existing.RecipientName == notified.AuthorityName && existing.Jurisdiction == jurisdiction && existing.ReportType == notified.ReportType && existing.Reference == notified.Reference && existing.NotifiedAt == notified.NotifiedAt))
        {
            return [];
        }

        RequireReportOnFile(file, c.ReportType);
        return [notified, .. ReportingClocks.OnNotification(file, c.Authority, jurisdiction, c.ReportType, c.NotificationId, c.Now, Rules)];
    }

    private static IReadOnlyList<IIncidentEvent> Notify(NotifyProvider c, IncidentFile file)
    {
        IncidentAccess.RequireWriter(c.Actor, file, "record a notification to a provider", regulators: false);
        var providers = file.Systems.Select(s => s.ProviderId).Distinct().ToArray();
        Rule.Require(providers.Contains(c.ProviderId), "notification.not_a_provider", $"Organisation {c.ProviderId} provides none of the systems involved in incident {file.Id}; their providers are {string.Join(", ", providers)}.");
        Rule.Require(c.Actor.Role == ActorRole.Admin || c.Actor.OrganisationId != c.ProviderId, "notification.provider_notifies_itself", "A provider does not notify itself; Art. 26(5) is the deployer informing the provider.");
        var notified = new ProviderNotified(
            file.Id, c.NotificationId, c.ProviderId, c.ReportType,
            Rule.OptionalText(c.Reference, "notification.reference_too_long", "The reference", 300),
            c.Now, c.Actor.OrganisationId, c.Actor.Subject);
        if (Repeated(file, c.NotificationId, notified, existing => existing.ProviderId == c.ProviderId && existing.ReportType == notified.ReportType && existing.Reference == notified.Reference && existing.NotifiedAt == notified.NotifiedAt))
        {
            return [];
        }

        RequireReportOnFile(file, c.ReportType);
        return [notified, .. ReportingClocks.OnNotification(file, Recipient.Provider, null, c.ReportType, c.NotificationId, c.Now, Rules)];
    }

    private static bool Repeated(IncidentFile file, Guid notificationId, object candidate, Func<Notification, bool> same)
    {
        Rule.Require(notificationId != Guid.Empty, "notification.id_missing", "Give the notification an id (a new Guid), so that a retried command is recognised.");
        var existing = file.Notifications.FirstOrDefault(n => n.NotificationId == notificationId);
        return existing is not null && (same(existing)
            ? true
            : throw Rule.Broken("notification.id_reused", $"Notification {notificationId} was already recorded on {Rule.Stamp(existing.NotifiedAt)} ({Codes.Of(existing.Recipient)}, {Codes.Of(existing.ReportType)}) with different content; use a new id for a new notification."));
    }

    /// <summary>The ledger holds what was sent: a notified report type must have been filed.</summary>
    private static void RequireReportOnFile(IncidentFile file, ReportType type)
    {
        var filed = type switch
        {
            ReportType.Initial => true,
            ReportType.CombinedInitialFinal => file.Original.ReportType == ReportType.CombinedInitialFinal,
            _ => file.Amendments.Any(a => a.ReportType == type),
        };
        Rule.Require(filed, "notification.report_not_filed", $"No {Codes.Of(type)} report of incident {file.Id} is on file, so none can have been sent; file it with AmendReport first.");
    }
}
