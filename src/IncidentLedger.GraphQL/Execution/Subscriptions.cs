using System.Runtime.CompilerServices;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Execution;

public sealed partial class Executor
{
    /// <summary>
    /// Subscribe (spec §6.2.3): creates the source stream from the subscription root field and executes the selection
    /// once per event. A request error, or an error creating the stream, is yielded as a single result.
    /// </summary>
    public async IAsyncEnumerable<ExecutionResult> SubscribeAsync(ExecutionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(request);
        if (prepared.Error is not null)
        {
            yield return prepared.Error;
            yield break;
        }

        var (document, operation, variables) = (prepared.Document!, prepared.Operation!, prepared.Variables!);
        if (operation.Operation != OperationType.Subscription || Schema.SubscriptionType is null)
        {
            // Queries and mutations sent to a subscription endpoint run once.
            yield return await ExecuteAsync(request);
            yield break;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.CancellationToken, cancellationToken);
        var token = linked.Token;
        var rootType = Schema.SubscriptionType;
        var setupContext = new RequestContext(Schema, document, operation, variables, request, new BatchScheduler(), token);
        var fields = setupContext.Collector.CollectRoot(rootType, operation.SelectionSet);
        var group = fields[0];
        var field = group.Definition!;
        IAsyncEnumerable<object?>? stream = null;
        GraphQLError? error = null;
        try
        {
            var arguments = ArgumentCoercion.Coerce(field.Arguments, group.Nodes[0].Arguments, variables);
            var path = new FieldPath(null, group.ResponseName);
            stream = await field.Subscriber!(new ResolveContext(setupContext, rootType, field, group, request.RootValue, path, arguments));
        }
        catch (FieldErrorException ex)
        {
            error = new GraphQLError(ex.Error.Message, ex.Error.Locations ?? group.Nodes.Select(n => n.Location.ToSourceLocation()).ToList(), [group.ResponseName], ex.Error.Code);
        }
        catch (GraphQLException ex)
        {
            error = new GraphQLError(ex.Message, group.Nodes.Select(n => n.Location.ToSourceLocation()).ToList(), [group.ResponseName], ex.Code);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = new GraphQLError(
                request.Options.ExposeExceptionMessages ? ex.Message : "Unexpected error while creating the subscription.",
                group.Nodes.Select(n => n.Location.ToSourceLocation()).ToList(),
                [group.ResponseName],
                ErrorCodes.InternalError);
        }

        if (error is not null)
        {
            yield return ExecutionResult.RequestError(error);
            yield break;
        }

        var events = stream!.GetAsyncEnumerator(token);
        try
        {
            while (true)
            {
                object? item;
                GraphQLError? streamError = null;
                try
                {
                    if (!await events.MoveNextAsync())
                    {
                        break;
                    }

                    item = events.Current;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    item = null;
                    streamError = new GraphQLError(
                        ex is GraphQLException || request.Options.ExposeExceptionMessages ? ex.Message : "The subscription's source stream failed.",
                        path: [group.ResponseName],
                        code: (ex as GraphQLException)?.Code ?? ErrorCodes.InternalError);
                }

                if (streamError is not null)
                {
                    // A failing source stream ends the subscription with one last result carrying the error.
                    yield return new ExecutionResult(null, [streamError]);
                    yield break;
                }

                // MapSourceToResponseEvent: the event is the root value of an ordinary execution of the selection set.
                var strand = new RequestStrand();
                var context = new RequestContext(Schema, document, operation, variables, request, strand.Batches, token);
                var data = await strand.RunAsync(() => ExecuteEventAsync(context, rootType, item), token);
                yield return new ExecutionResult(data, context.TakeErrors());
            }
        }
        finally
        {
            await events.DisposeAsync();
        }
    }

    private async ValueTask<object?> ExecuteEventAsync(RequestContext context, ObjectType rootType, object? sourceEvent)
    {
        var fields = context.Collector.CollectRoot(rootType, context.Operation.SelectionSet);
        var result = await ExecuteSelectionSetAsync(context, rootType, sourceEvent, fields, null, serial: false);
        return result is Bubble ? null : result;
    }
}
