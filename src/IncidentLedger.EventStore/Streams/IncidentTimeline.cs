using IncidentLedger.Domain.ReadModels;
using IncidentLedger.EventStore.Projections;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Writing;
using Marten;

namespace IncidentLedger.EventStore.Streams;

/// <summary>One line of an incident's timeline with its integrity receipt: the event's id, the hash it chains to, and its log entry once sealed.</summary>
public sealed record ReceiptedEntry(Guid EventId, TimelineEntry Entry, string? Prev, LogEntry? LogEntry);

/// <summary>
/// An incident's timeline as the domain's <see cref="LedgerView"/> builds it, from the stream's events
/// read in one query, each with the hash chain link from its headers and its log entry (all the
/// entries read in a second query).
/// </summary>
public static class IncidentTimeline
{
    /// <summary>The incident's events up to <paramref name="version"/> (all of them when null), oldest first; empty when the stream does not exist.</summary>
    public static async Task<IReadOnlyList<ReceiptedEntry>> ReadAsync(IQuerySession session, LedgerLog log, Guid incidentId, long? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(log);
        var events = (await session.Events.FetchStreamAsync(StreamKeys.Of(incidentId), version ?? 0, token: cancellationToken)).Where(RecordedEvents.IsLedgerEvent).ToArray();
        if (!LedgerView.Fold(events.Select(RecordedEvents.From)).Incidents.TryGetValue(incidentId, out var incident))
        {
            return [];
        }

        var byVersion = events.ToDictionary(e => e.Version);
        var entries = await log.EntriesAsync([.. events.Select(e => e.Id)], cancellationToken);
        return [.. incident.Timeline.Select(line =>
        {
            var e = byVersion[line.Version];
            return new ReceiptedEntry(e.Id, line, ChainedEvents.HeaderText(e, LedgerStore.Headers.Prev), entries.GetValueOrDefault(e.Id));
        })];
    }
}
