using System.Collections.Immutable;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Writing;
using Marten;

namespace IncidentLedger.EventStore.Streams;

/// <summary>An incident as the domain's read-model functions take it, and the part of the ledger they read about it.</summary>
public sealed record IncidentInContext(IncidentView Incident, LedgerView View);

/// <summary>
/// One incident's view with the rest of the ledger it names, from the streams' snapshots: the systems it
/// involves and the models they build on, then the organisations it takes part in and those systems'
/// developers (two queries). What crosswalk reports need, without folding the whole ledger.
/// </summary>
public static class IncidentContext
{
    /// <summary>The incident in <paramref name="state"/> (at stream <paramref name="version"/>) with its systems' and organisations' current snapshots.</summary>
    public static async Task<IncidentInContext> LoadAsync(IQuerySession session, Incident state, long version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(state);
        var file = state.FileOrDefault ?? throw new ArgumentException("The incident is not reported: it has no file to render.", nameof(state));
        var systemIds = file.Systems.Select(s => s.SystemId).Concat(file.Systems.Select(s => s.FoundationModelId).OfType<Guid>()).Distinct();
        var systems = (await session.LoadManyAsync<AiSystemStream>(cancellationToken, systemIds.Select(StreamKeys.Of)))
            .ToDictionary(s => Guid.Parse(s.Id), s => s.State);
        var organisationIds = file.Participants
            .Concat(systems.Values.Select(s => s.ProfileOrDefault?.DeveloperId).OfType<Guid>())
            .Concat(file.Notifications.Select(n => n.ProviderId).OfType<Guid>())
            .Distinct();
        var organisations = (await session.LoadManyAsync<OrganisationStream>(cancellationToken, organisationIds.Select(StreamKeys.Of)))
            .Where(o => o.State is Organisation.Registered)
            .ToDictionary(o => Guid.Parse(o.Id), o => (Organisation.Registered)o.State);
        var view = LedgerView.Empty with
        {
            Systems = ImmutableSortedDictionary.CreateRange(systems),
            Organisations = ImmutableSortedDictionary.CreateRange(organisations),
        };
        var incident = new IncidentView(file.Id, state, []) { Version = version };
        return new IncidentInContext(incident, view with { Incidents = view.Incidents.Add(file.Id, incident) });
    }
}
