using IncidentLedger.Domain;
using IncidentLedger.EventStore.Writing;
using Marten;
using Npgsql;

namespace IncidentLedger.EventStore.Streams;

/// <summary>A stream as it stood at some point: its state, the version that state is at, and the time of its last event by then.</summary>
public sealed record StreamAsOf(Guid StreamId, string StreamType, long Version, DateTimeOffset? LastRecordedAt, object State);

/// <summary>
/// As-of reads: a stream folded with the domain's Evolve over its events up to a time or up to a
/// position in the sealed log (what the log had vouched for when it reached that size).
/// </summary>
public static class StreamHistory
{
    /// <summary>The stream folded over the events recorded at or before <paramref name="asOf"/>.</summary>
    public static async Task<StreamAsOf?> AsOfAsync(IQuerySession session, Guid streamId, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var events = await session.Events.FetchStreamAsync(StreamKeys.Of(streamId), timestamp: asOf, token: cancellationToken);
        return Fold(streamId, events);
    }

    /// <summary>The stream folded over its events sealed at log positions below <paramref name="logSize"/> (the first <paramref name="logSize"/> entries).</summary>
    public static async Task<StreamAsOf?> AtLogSizeAsync(IQuerySession session, NpgsqlDataSource dataSource, Guid streamId, long logSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfNegative(logSize);
        await using var command = dataSource.CreateCommand("SELECT max(version) FROM ledger_entries WHERE stream_id = $1 AND position < $2");
        command.Parameters.Add(new NpgsqlParameter { Value = StreamKeys.Of(streamId) });
        command.Parameters.Add(new NpgsqlParameter { Value = logSize });
        if (await command.ExecuteScalarAsync(cancellationToken) is not long version)
        {
            return null;
        }

        var events = await session.Events.FetchStreamAsync(StreamKeys.Of(streamId), version, token: cancellationToken);
        return Fold(streamId, events);
    }

    private static StreamAsOf? Fold(Guid streamId, IReadOnlyList<JasperFx.Events.IEvent> events)
    {
        if (events.Count == 0)
        {
            return null;
        }

        var streamType = DomainEvents.All.First(d => d.ClrType == events[0].Data.GetType()).StreamType;
        var decider = DomainStreams.For(streamType);
        return new StreamAsOf(streamId, streamType, events[^1].Version, events[^1].Timestamp, decider.Fold(events.Select(e => e.Data)));
    }
}
