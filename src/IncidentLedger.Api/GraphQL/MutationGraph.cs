using IncidentLedger.Api.Auth;
using IncidentLedger.Api.Commands;
using IncidentLedger.Domain;
using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.Taxonomies;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.GraphQL;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Types;
using Wolverine;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// One mutation per domain command (schema/graphql/ledger.graphql's Mutation), each sent through Wolverine like
/// every other command: the caller's token is the actor, the clock the time; the answer is the change with its
/// filing receipts or, with nothing written, a typed reason (<see cref="CommandRejections"/>).
/// </summary>
public static class MutationGraph
{
    /// <summary>Every domain command, by the name of its mutation (the command's name in camelCase).</summary>
    public static IReadOnlyDictionary<string, Type> Commands { get; } = typeof(IDomainCommand).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainCommand).IsAssignableFrom(t))
        .ToDictionary(t => CommandInput.FieldName(t.Name), StringComparer.Ordinal);

    public sealed record FilingReceiptView(Guid EventId, long Version, string EventType, string EventHash, DateTimeOffset RecordedAt, string Note);

    public sealed record IncidentChanged(Guid IncidentId, long Version, bool AlreadyApplied, IReadOnlyList<FilingReceiptView> Receipts);

    public sealed record AiSystemChanged(Guid SystemId, long Version, bool AlreadyApplied, IReadOnlyList<FilingReceiptView> Receipts);

    public sealed record OrganisationChanged(Guid OrganisationId, long Version, bool AlreadyApplied, IReadOnlyList<FilingReceiptView> Receipts);

    public sealed record PolicyChanged(Guid PolicyId, long Version, bool AlreadyApplied, IReadOnlyList<FilingReceiptView> Receipts);

    /// <summary>Binds every command's mutation, the result types and the enums the inputs use.</summary>
    public static SchemaBuilder BindMutations(this SchemaBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (field, command) in Commands)
        {
            builder.BindResolver("Mutation", field, c => RunAsync(c, command));
        }

        return builder
            .BindClrType<IncidentChanged>("IncidentChanged")
            .BindClrType<AiSystemChanged>("AiSystemChanged")
            .BindClrType<OrganisationChanged>("OrganisationChanged")
            .BindClrType<PolicyChanged>("PolicyChanged")
            .BindClrType<VersionConflict>("VersionConflict")
            .BindClrType<RuleViolated>("RuleViolated")
            .BindClrType<InvalidInput>("InvalidInput")
            .BindClrType<NotPermitted>("NotPermitted")
            .BindResolver("IncidentChanged", "incident", c => LedgerGraph.IncidentDetailAsync(c, ((IncidentChanged)c.Parent!).IncidentId, asOf: null, logSize: null))
            .BindResolver("AiSystemChanged", "aiSystem", c => RecordsGraph.AiSystemOf(c, ((AiSystemChanged)c.Parent!).SystemId))
            .BindResolver("OrganisationChanged", "organisation", c => RecordsGraph.OrganisationOf(c, ((OrganisationChanged)c.Parent!).OrganisationId));
    }

    private static async ValueTask<object?> RunAsync(IResolveContext c, Type commandType)
    {
        var actor = LedgerCaller.RequireActor(c);
        var services = c.Services ?? throw new InvalidOperationException("The GraphQL request carries no service provider.");
        try
        {
            var context = new CommandContext { ExpectedVersion = ExpectedVersion(c), IdempotencyKey = IdempotencyKey(c) };
            var command = CommandInput.Build(commandType, c.Argument<IReadOnlyDictionary<string, object?>>("input")!, actor, services.GetRequiredService<TimeProvider>().GetUtcNow());
            var outcome = await services.GetRequiredService<IMessageBus>().InvokeAsync<WriteOutcome>(LedgerCommand.For(command, context), c.CancellationToken);
            return Changed(command, outcome);
        }
        catch (Exception e) when (CommandRejections.Of(e, commandType) is { } error)
        {
            return error;
        }
    }

    private static long? ExpectedVersion(IResolveContext c) => c.Argument<long?>("expectedVersion") switch
    {
        < 0 and var v => throw new CommandInputException("expectedVersion", "input.expected_version_negative", $"expectedVersion is a stream version (0 for a stream that does not exist yet); got {v}."),
        var v => v,
    };

    private static string? IdempotencyKey(IResolveContext c) => c.Argument<string>("idempotencyKey") switch
    {
        { Length: 0 or > LedgerWriter.MaxIdempotencyKeyLength } key => throw new CommandInputException(
            "idempotencyKey", "input.idempotency_key_length", $"An idempotency key has 1 to {LedgerWriter.MaxIdempotencyKeyLength} characters; this one has {key.Length}."),
        var key => key,
    };

    private static object Changed(object command, WriteOutcome outcome)
    {
        var receipts = outcome.Events.Select((e, i) => new FilingReceiptView(e.EventId, e.Version, e.EventType, e.Hash, e.RecordedAt, outcome.Receipts[i])).ToArray();
        return command switch
        {
            IIncidentCommand => new IncidentChanged(outcome.StreamId, outcome.Version, outcome.AlreadyApplied, receipts),
            IAiSystemCommand => new AiSystemChanged(outcome.StreamId, outcome.Version, outcome.AlreadyApplied, receipts),
            IOrganisationCommand => new OrganisationChanged(outcome.StreamId, outcome.Version, outcome.AlreadyApplied, receipts),
            IPolicyCommand => new PolicyChanged(outcome.StreamId, outcome.Version, outcome.AlreadyApplied, receipts),
            _ => throw new InvalidOperationException($"{command.GetType().Name} belongs to no stream type."),
        };
    }
}
