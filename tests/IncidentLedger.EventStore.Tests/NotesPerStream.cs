using IncidentLedger.EventStore.Events;
using IncidentLedger.EventStore.Projections;
using Npgsql;

namespace IncidentLedger.EventStore.Tests;

/// <summary>A test read model: per stream, how many notes and the last one. A note saying "poison" cannot be applied.</summary>
public sealed class NotesPerStream : IProjection
{
    private int applying;

    public string Name => "notes_per_stream";

    public IReadOnlyList<string> Tables => ["notes_per_stream"];

    /// <summary>The most Apply calls that were ever in progress at once.</summary>
    public int MaxConcurrentApplies { get; private set; }

    /// <summary>When set, the next Apply writes its rows and then dies (as a killed process would) before the commit.</summary>
    public bool CrashAfterWriting { get; set; }

    public bool PoisonIsFixed { get; set; }

    public async Task CreateAsync(ProjectionContext context, CancellationToken cancellationToken)
    {
        await using var command = context.Command($"CREATE TABLE IF NOT EXISTS {context.Table("notes_per_stream")} (stream_id uuid PRIMARY KEY, notes int NOT NULL, last_text text NOT NULL, last_position bigint NOT NULL)");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<SealedEvent> events, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref applying);
        MaxConcurrentApplies = Math.Max(MaxConcurrentApplies, now);
        try
        {
            var folded = new Dictionary<Guid, (int Notes, string Text, long Position)>();
            foreach (var e in events.Where(e => e.Event.EventType == nameof(NoteAdded)))
            {
                var text = e.Event.Data.GetProperty("text").GetString()!;
                if (text.Contains("poison", StringComparison.Ordinal) && !PoisonIsFixed)
                {
                    throw new FormatException($"cannot read note \"{text}\"");
                }

                var before = folded.GetValueOrDefault(e.Event.Stream.Id);
                folded[e.Event.Stream.Id] = (before.Notes + 1, text, e.Position);
            }

            if (folded.Count > 0)
            {
                var table = context.Table("notes_per_stream");
                await using var upsert = context.Command($"""
                    INSERT INTO {table} AS t (stream_id, notes, last_text, last_position)
                    SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bigint[])
                    ON CONFLICT (stream_id) DO UPDATE SET notes = t.notes + excluded.notes, last_text = excluded.last_text, last_position = excluded.last_position
                    """);
                upsert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. folded.Keys] });
                upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. folded.Values.Select(v => v.Notes)] });
                upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. folded.Values.Select(v => v.Text)] });
                upsert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. folded.Values.Select(v => v.Position)] });
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            if (CrashAfterWriting)
            {
                CrashAfterWriting = false;
                throw new OperationCanceledException("the process was killed");
            }
        }
        finally
        {
            Interlocked.Decrement(ref applying);
        }
    }

    /// <summary>The same read model computed in memory from events in position order.</summary>
    public static Dictionary<Guid, (int Notes, string Text, long Position)> Fold(IEnumerable<SealedEvent> events)
    {
        var rows = new Dictionary<Guid, (int, string, long)>();
        foreach (var e in events.Where(e => e.Event.EventType == nameof(NoteAdded)))
        {
            var before = rows.GetValueOrDefault(e.Event.Stream.Id);
            rows[e.Event.Stream.Id] = (before.Item1 + 1, e.Event.Data.GetProperty("text").GetString()!, e.Position);
        }

        return rows;
    }
}
