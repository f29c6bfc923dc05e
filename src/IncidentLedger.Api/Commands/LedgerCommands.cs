using System.Diagnostics;
using IncidentLedger.Api.Deadlines;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Api.Operations;
using IncidentLedger.Domain;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using Marten;
using Wolverine;

namespace IncidentLedger.Api.Commands;

/// <summary>A domain command on its way to its stream: one message type per stream type, carrying how it is to be run.</summary>
public interface ILedgerCommand
{
    object Command { get; }

    CommandContext Context { get; }
}

public sealed record OrganisationCommand(IOrganisationCommand Command, CommandContext Context) : ILedgerCommand
{
    object ILedgerCommand.Command => Command;
}

public sealed record AiSystemCommand(IAiSystemCommand Command, CommandContext Context) : ILedgerCommand
{
    object ILedgerCommand.Command => Command;
}

public sealed record IncidentCommand(IIncidentCommand Command, CommandContext Context) : ILedgerCommand
{
    object ILedgerCommand.Command => Command;
}

public sealed record PolicyCommand(IPolicyCommand Command, CommandContext Context) : ILedgerCommand
{
    object ILedgerCommand.Command => Command;
}

/// <summary>Wraps any domain command in the message its stream type is handled by.</summary>
public static class LedgerCommand
{
    public static ILedgerCommand For(object command, CommandContext? context = null)
    {
        context ??= new CommandContext();
        return command switch
        {
            IOrganisationCommand c => new OrganisationCommand(c, context),
            IAiSystemCommand c => new AiSystemCommand(c, context),
            IIncidentCommand c => new IncidentCommand(c, context),
            IPolicyCommand c => new PolicyCommand(c, context),
            _ => throw new ArgumentException($"{command?.GetType().Name} is not a domain command.", nameof(command)),
        };
    }
}

/// <summary>
/// Wolverine's handlers for the four stream types. Each loads its stream for writing, lets the domain
/// decide and appends the chained events (<see cref="LedgerWriter"/>); Wolverine's transaction
/// middleware then saves the session with the outbox in one commit, and retries a lost race. A committed
/// append is counted and timed in <see cref="LedgerMetrics"/>.
/// </summary>
public static class LedgerCommandHandler
{
    public static Task<WriteOutcome> Handle(OrganisationCommand message, IDocumentSession session, IMessageContext messages, LedgerOptions options, TimeProvider clock, FilingReceiptIssuer receipts, LedgerMetrics metrics, CancellationToken cancellationToken) =>
        RunAsync<OrganisationStream, Organisation>(message, DomainStreams.Organisation, session, messages, options, clock, receipts, metrics, cancellationToken);

    public static Task<WriteOutcome> Handle(AiSystemCommand message, IDocumentSession session, IMessageContext messages, LedgerOptions options, TimeProvider clock, FilingReceiptIssuer receipts, LedgerMetrics metrics, CancellationToken cancellationToken) =>
        RunAsync<AiSystemStream, AiSystem>(message, DomainStreams.AiSystem, session, messages, options, clock, receipts, metrics, cancellationToken);

    public static async Task<WriteOutcome> Handle(IncidentCommand message, IDocumentSession session, IMessageContext messages, LedgerOptions options, TimeProvider clock, FilingReceiptIssuer receipts, LedgerMetrics metrics, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync<IncidentStream, Incident>(message, DomainStreams.Incident, session, messages, options, clock, receipts, metrics, cancellationToken);
        if (message.Context.ScheduleDeadlineChecks)
        {
            await DeadlineChecks.ScheduleAsync(session, messages);
        }

        return outcome;
    }

    public static Task<WriteOutcome> Handle(PolicyCommand message, IDocumentSession session, IMessageContext messages, LedgerOptions options, TimeProvider clock, FilingReceiptIssuer receipts, LedgerMetrics metrics, CancellationToken cancellationToken) =>
        RunAsync<PolicyStream, Policy>(message, DomainStreams.Policy, session, messages, options, clock, receipts, metrics, cancellationToken);

    private static async Task<WriteOutcome> RunAsync<TDoc, TState>(ILedgerCommand message, StreamDecider decider, IDocumentSession session, IMessageContext messages, LedgerOptions options, TimeProvider clock, FilingReceiptIssuer receipts, LedgerMetrics metrics, CancellationToken cancellationToken)
        where TDoc : LedgerStream<TState>, new()
        where TState : class
    {
        var started = Stopwatch.GetTimestamp();
        var actor = ((IDomainCommand)message.Command).Actor;
        var outcome = await LedgerWriter.DecideAsync<TDoc, TState>(session, decider, message.Command, LedgerWriter.MetadataOf(actor), message.Context, options.Origin, clock.GetUtcNow(), cancellationToken);
        await Webhooks.Webhooks.PublishAsync(session, messages, options);
        if (!outcome.AlreadyApplied && outcome.Events.Count > 0)
        {
            session.Listeners.Add(new AppendRecorder(metrics, started, outcome.Events.Count, outcome.StreamType));
        }

        return receipts.Sign(outcome);
    }
}
