using IncidentLedger.Api.Hosting;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using Marten;
using Wolverine;

namespace IncidentLedger.Api.Deadlines;

/// <summary>Check, at its due time, whether one reporting clock of one incident was met.</summary>
public sealed record DeadlineCheck(Guid IncidentId, string ClockId, DateTimeOffset DueAt);

/// <summary>
/// Reporting deadlines as durable scheduled messages. When a clock starts or is recomputed, a check
/// is scheduled for just after its due time in Wolverine's inbox, in the command's own transaction,
/// so it survives restarts and fails over with the node. When the check fires and the clock is
/// still running with that due time, the breach is decided and recorded through the write path
/// under an idempotency key, exactly once however often the check is delivered. A clock that was
/// met, withdrawn or moved since makes the check a no-op (a moved clock has its own check).
/// </summary>
public static class DeadlineChecks
{
    /// <summary>The subject the ledger records as the cause of breaches it detects itself.</summary>
    public static Actor Scheduler { get; } = new("ledger:deadline-scheduler", Guid.Empty, ActorRole.Admin, []);

    /// <summary>A check fires this long after the due time: a clock is breached only once it is past due.</summary>
    public static TimeSpan Grace { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Schedules a check for every clock the session's pending events start or move.</summary>
    public static async Task ScheduleAsync(IDocumentSession session, IMessageContext messages)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(messages);
        var clocks = session.PendingChanges.Streams()
            .SelectMany(s => s.Events)
            .Select(e => e.Data switch
            {
                ReportingClockStarted started => new DeadlineCheck(started.IncidentId, started.ClockId, started.DueAt),
                ReportingClockRecomputed moved => new DeadlineCheck(moved.IncidentId, moved.ClockId, moved.DueAt),
                _ => null,
            })
            .OfType<DeadlineCheck>();
        foreach (var check in clocks)
        {
            await messages.ScheduleAsync(check, check.DueAt + Grace);
        }
    }

    public static string IdempotencyKeyOf(DeadlineCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return $"deadline-check/{check.IncidentId:D}/{check.ClockId}/{check.DueAt.UtcTicks}";
    }
}

/// <summary>Wolverine's handler for <see cref="DeadlineCheck"/>.</summary>
public static class DeadlineCheckHandler
{
    public static async Task Handle(DeadlineCheck check, IDocumentSession session, IMessageContext messages, LedgerOptions options, TimeProvider clock, ILogger<DeadlineCheck> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(session);
        var stream = await session.LoadAsync<IncidentStream>(StreamKeys.Of(check.IncidentId), cancellationToken);
        var current = stream?.State.FileOrDefault?.Clocks.GetValueOrDefault(check.ClockId);
        if (current is null || current.Status != ClockStatus.Running || current.DueAt != check.DueAt)
        {
            logger.LogDebug("Deadline check {Incident}/{Clock} due {DueAt}: nothing to do (clock {Status}, due {CurrentDueAt}).", check.IncidentId, check.ClockId, check.DueAt, current?.Status, current?.DueAt);
            return;
        }

        var now = clock.GetUtcNow();
        if (now <= check.DueAt)
        {
            // Delivered early (clock skew between nodes): look again once it is due.
            await messages.ScheduleAsync(check, check.DueAt + DeadlineChecks.Grace);
            return;
        }

        var outcome = await LedgerWriter.DecideAsync(
            session,
            new CheckReportingClocks(check.IncidentId, DeadlineChecks.Scheduler, now),
            LedgerWriter.MetadataOf(DeadlineChecks.Scheduler),
            new CommandContext { IdempotencyKey = DeadlineChecks.IdempotencyKeyOf(check) },
            options.Origin,
            now,
            cancellationToken);
        await Webhooks.Webhooks.PublishAsync(session, messages, options);
        if (!outcome.AlreadyApplied && outcome.Events.Count > 0)
        {
            logger.LogInformation("Reporting clock {Clock} of incident {Incident} was due {DueAt} and is breached.", check.ClockId, check.IncidentId, check.DueAt);
        }
    }
}
