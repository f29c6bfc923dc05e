using System.Collections;
using System.Runtime.CompilerServices;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;
using IncidentLedger.GraphQL.Validation;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>
/// Executes requests against one schema (spec §6): parse and validate (cached by document hash), select the operation,
/// coerce variables, apply request limits, then execute with null propagation and error paths. Thread-safe; create one
/// per schema and reuse it.
/// </summary>
public sealed partial class Executor
{
    private static readonly IReadOnlyDictionary<string, object?> NoArguments = new Dictionary<string, object?>();

    public Executor(Schema schema, DocumentCache? cache = null)
    {
        Schema = schema;
        Cache = cache ?? new DocumentCache();
    }

    public Schema Schema { get; }

    /// <summary>Parsed and validated documents, by SHA-256 of their text.</summary>
    public DocumentCache Cache { get; }

    /// <summary>Executes a query or mutation (a subscription operation here resolves its root field once).</summary>
    public async Task<ExecutionResult> ExecuteAsync(ExecutionRequest request)
    {
        var prepared = Prepare(request);
        if (prepared.Error is not null)
        {
            return prepared.Error;
        }

        var (document, operation, variables) = (prepared.Document!, prepared.Operation!, prepared.Variables!);
        using var timeout = CreateTimeout(request, out var token);
        var strand = new RequestStrand();
        var context = new RequestContext(Schema, document, operation, variables, request, strand.Batches, token);
        using var activity = GraphQLTelemetry.Source.StartActivity("graphql.execute");
        activity?.SetTag("graphql.operation.type", operation.Operation.ToString().ToLowerInvariant());
        activity?.SetTag("graphql.operation.name", operation.Name?.Value);
        try
        {
            var data = await strand.RunAsync(() => ExecuteOperationAsync(context, request.RootValue), token);
            return new ExecutionResult(data, context.TakeErrors());
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return CancelledResult(request, context);
        }
    }

    private static ExecutionResult CancelledResult(ExecutionRequest request, RequestContext context)
    {
        var errors = context.TakeErrors();
        errors.Add(request.CancellationToken.IsCancellationRequested
            ? new GraphQLError("The request was cancelled.", code: ErrorCodes.Cancelled)
            : new GraphQLError($"The request did not complete within {request.Options.Timeout?.TotalMilliseconds} ms.", code: ErrorCodes.Timeout));
        return new ExecutionResult(null, errors);
    }

    private static CancellationTokenSource? CreateTimeout(ExecutionRequest request, out CancellationToken token)
    {
        if (request.Options.Timeout is not { } timeout)
        {
            token = request.CancellationToken;
            return null;
        }

        var cts = CancellationTokenSource.CreateLinkedTokenSource(request.CancellationToken);
        cts.CancelAfter(timeout);
        token = cts.Token;
        return cts;
    }

    internal sealed record Prepared(ExecutionResult? Error, DocumentNode? Document, OperationDefinitionNode? Operation, IReadOnlyDictionary<string, object?>? Variables);

    /// <summary>Parse (or cache hit), validate, select the operation, coerce variables and check request limits.</summary>
    internal Prepared Prepare(ExecutionRequest request)
    {
        DocumentNode document;
        if (request.Document is not null)
        {
            document = request.Document;
        }
        else
        {
            if (request.Query is null)
            {
                return Fail(new GraphQLError("Must provide a query string.", code: ErrorCodes.ParseFailed));
            }

            var entry = Cache.GetOrAdd(request.Query, request.Options.Parser, Schema);
            if (entry.Errors.Count > 0)
            {
                return new Prepared(ExecutionResult.RequestError(entry.Errors), null, null, null);
            }

            document = entry.Document!;
        }

        var operation = SelectOperation(document, request.OperationName, out var operationError);
        if (operation is null)
        {
            return Fail(operationError!);
        }

        var variables = VariableCoercion.Coerce(Schema, operation, request.Variables ?? (request.VariablesJson is { } json ? JsonValues.FromElement(json) as IReadOnlyDictionary<string, object?> : null), out var variableErrors);
        if (variableErrors.Count > 0)
        {
            return new Prepared(ExecutionResult.RequestError(variableErrors), null, null, null);
        }

        var limitErrors = RequestLimits.Check(Schema, document, operation, variables, request.Options);
        if (limitErrors.Count > 0)
        {
            return new Prepared(ExecutionResult.RequestError(limitErrors), null, null, null);
        }

        return new Prepared(null, document, operation, variables);

        static Prepared Fail(GraphQLError error) => new(ExecutionResult.RequestError(error), null, null, null);
    }

    /// <summary>GetOperation (spec §6.1).</summary>
    public static OperationDefinitionNode? SelectOperation(DocumentNode document, string? operationName, out GraphQLError? error)
    {
        error = null;
        OperationDefinitionNode? found = null;
        foreach (var d in document.Definitions)
        {
            if (d is not OperationDefinitionNode op)
            {
                continue;
            }

            if (operationName is null)
            {
                if (found is not null)
                {
                    error = new GraphQLError("Must provide operation name if query contains multiple operations.", code: ErrorCodes.OperationNotFound);
                    return null;
                }

                found = op;
            }
            else if (op.Name?.Value == operationName)
            {
                found = op;
                break;
            }
        }

        if (found is null)
        {
            error = operationName is null
                ? new GraphQLError("Must provide an operation.", code: ErrorCodes.OperationNotFound)
                : new GraphQLError($"Unknown operation named \"{operationName}\".", code: ErrorCodes.OperationNotFound);
        }

        return found;
    }

    private async ValueTask<object?> ExecuteOperationAsync(RequestContext context, object? rootValue)
    {
        var rootType = Schema.GetRootType(context.Operation.Operation);
        if (rootType is null)
        {
            context.AddError(new GraphQLError($"Schema is not configured to execute {context.Operation.Operation.ToString().ToLowerInvariant()} operation.", [context.Operation.Location.ToSourceLocation()]));
            return null;
        }

        var fields = context.Collector.CollectRoot(rootType, context.Operation.SelectionSet);
        var serial = context.Operation.Operation == OperationType.Mutation;
        var result = await ExecuteSelectionSetAsync(context, rootType, rootValue, fields, null, serial);
        return result is Bubble ? null : result;
    }

    /// <summary>Marks a null that a non-null position received: the nearest nullable parent becomes null.</summary>
    internal sealed class Bubble
    {
        public static readonly Bubble Instance = new();
    }

    private ValueTask<object?> ExecuteSelectionSetAsync(RequestContext context, ObjectType type, object? parent, FieldGroup[] fields, FieldPath? path, bool serial)
    {
        if (serial)
        {
            return ExecuteSeriallyAsync(context, type, parent, fields, path);
        }

        var map = new ResultMap(fields.Length);
        ValueTask<object?>[]? pending = null;
        for (var i = 0; i < fields.Length; i++)
        {
            var group = fields[i];
            var value = ExecuteField(context, type, parent, group, path);
            if (value.IsCompletedSuccessfully)
            {
                var v = value.Result;
                if (v is Bubble)
                {
                    return pending is null ? new ValueTask<object?>(Bubble.Instance) : DrainThenBubbleAsync(pending);
                }

                map.Set(i, group.ResponseName, v);
            }
            else
            {
                pending ??= new ValueTask<object?>[fields.Length];
                pending[i] = value;
                map.Set(i, group.ResponseName, null);
            }
        }

        return pending is null ? new ValueTask<object?>(map) : AwaitFieldsAsync(map, fields, pending);
    }

    private static async ValueTask<object?> DrainThenBubbleAsync(ValueTask<object?>[] pending)
    {
        foreach (var p in pending)
        {
            if (p != default)
            {
                await p;
            }
        }

        return Bubble.Instance;
    }

    private static async ValueTask<object?> AwaitFieldsAsync(ResultMap map, FieldGroup[] fields, ValueTask<object?>[] pending)
    {
        var bubbled = false;
        for (var i = 0; i < pending.Length; i++)
        {
            if (pending[i] == default)
            {
                continue;
            }

            var v = await pending[i];
            if (v is Bubble)
            {
                bubbled = true;
            }
            else
            {
                map.Set(i, fields[i].ResponseName, v);
            }
        }

        return bubbled ? Bubble.Instance : map;
    }

    private async ValueTask<object?> ExecuteSeriallyAsync(RequestContext context, ObjectType type, object? parent, FieldGroup[] fields, FieldPath? path)
    {
        var map = new ResultMap(fields.Length);
        for (var i = 0; i < fields.Length; i++)
        {
            var v = await ExecuteField(context, type, parent, fields[i], path);
            if (v is Bubble)
            {
                return Bubble.Instance;
            }

            map.Set(i, fields[i].ResponseName, v);
        }

        return map;
    }

    /// <summary>ExecuteField (spec §6.4): coerce arguments, resolve, complete; errors become field errors.</summary>
    private ValueTask<object?> ExecuteField(RequestContext context, ObjectType parentType, object? parent, FieldGroup group, FieldPath? parentPath)
    {
        var field = group.Definition;
        if (field is null)
        {
            return new ValueTask<object?>((object?)null);
        }

        if (ReferenceEquals(field, Schema.Introspection.TypeNameField))
        {
            return new ValueTask<object?>(parentType.Name);
        }

        object? value;
        if (field.Resolver is null)
        {
            // Default resolver: no context, and for leaves no path unless an error needs one.
            try
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                value = field.DefaultReader is { } reader ? reader.Read(parent) : null;
                if (field.Type.Nullable is ScalarType or EnumType)
                {
                    return new ValueTask<object?>(CompleteLeaf(field.Type, group, value));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
            {
                return new ValueTask<object?>(HandleError(context, ex, field.Type, group, new FieldPath(parentPath, group.ResponseName)));
            }

            return CompleteCatching(context, field.Type, group, new FieldPath(parentPath, group.ResponseName), value);
        }

        var path = new FieldPath(parentPath, group.ResponseName);
        try
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var arguments = ArgumentsOf(context, field, group);
            var resolved = field.Resolver(new ResolveContext(context, parentType, field, group, parent, path, arguments));
            if (!resolved.IsCompletedSuccessfully)
            {
                return AwaitResolverAsync(context, field.Type, group, path, resolved);
            }

            value = resolved.Result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            return new ValueTask<object?>(HandleError(context, ex, field.Type, group, path));
        }

        return CompleteCatching(context, field.Type, group, path, value);
    }

    /// <summary>Completes a scalar or enum value (possibly non-null); throws a field error on failure.</summary>
    private static object? CompleteLeaf(GraphQLType type, FieldGroup group, object? value)
    {
        if (value is null)
        {
            return type is NonNullType ? throw NullForNonNull(group, null) : null;
        }

        return type.Nullable switch
        {
            ScalarType scalar => scalar.Serialize(value),
            EnumType enumType => (enumType.FromValue(value) ?? throw new ScalarCoercionException($"Enum \"{enumType.Name}\" cannot represent value: {ValueCoercion.Describe(value)}")).Name,
            _ => throw new InvalidOperationException("Not a leaf type."),
        };
    }

    private async ValueTask<object?> AwaitResolverAsync(RequestContext context, GraphQLType type, FieldGroup group, FieldPath path, ValueTask<object?> resolved)
    {
        object? value;
        try
        {
            value = await resolved;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            return HandleError(context, ex, type, group, path);
        }

        return await CompleteCatching(context, type, group, path, value);
    }

    private IReadOnlyDictionary<string, object?> ArgumentsOf(RequestContext context, FieldDefinition field, FieldGroup group)
    {
        if (group.ArgumentError is { } cachedError)
        {
            throw new FieldErrorException(cachedError);
        }

        if (group.Arguments is { } cached)
        {
            return cached;
        }

        if (field.Arguments.Count == 0)
        {
            return group.Arguments = NoArguments;
        }

        try
        {
            return group.Arguments = ArgumentCoercion.Coerce(field.Arguments, group.Nodes[0].Arguments, context.Variables);
        }
        catch (FieldErrorException ex)
        {
            group.ArgumentError = ex.Error;
            throw;
        }
    }

    private ValueTask<object?> CompleteCatching(RequestContext context, GraphQLType type, FieldGroup group, FieldPath path, object? value)
    {
        try
        {
            var completed = CompleteValue(context, type, group, path, value);
            if (completed.IsCompletedSuccessfully)
            {
                return completed.Result is Bubble && type is not NonNullType ? default : completed;
            }

            return AwaitCompletionAsync(context, type, group, path, completed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            return new ValueTask<object?>(HandleError(context, ex, type, group, path));
        }
    }

    private async ValueTask<object?> AwaitCompletionAsync(RequestContext context, GraphQLType type, FieldGroup group, FieldPath path, ValueTask<object?> completed)
    {
        try
        {
            var v = await completed;
            return v is Bubble && type is not NonNullType ? null : v;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            return HandleError(context, ex, type, group, path);
        }
    }

    /// <summary>Records a field error (spec §6.4.4) and returns null, or a bubble when the position is non-null.</summary>
    private static object? HandleError(RequestContext context, Exception ex, GraphQLType type, FieldGroup group, FieldPath path)
    {
        context.AddError(ToFieldError(context, ex, group, path));
        return type is NonNullType ? Bubble.Instance : null;
    }

    private static GraphQLError ToFieldError(RequestContext context, Exception ex, FieldGroup group, FieldPath path)
    {
        if (ex is FieldErrorException fe)
        {
            return new GraphQLError(fe.Error.Message, fe.Error.Locations ?? Locations(group), path.ToList()) { Extensions = fe.Error.Extensions };
        }

        var locations = Locations(group);
        return ex switch
        {
            GraphQLException g => new GraphQLError(g.Message, locations, path.ToList(), g.Code) { Extensions = Merge(g) },
            ScalarCoercionException s => new GraphQLError(s.Message, locations, path.ToList()),
            _ when context.Options.ExposeExceptionMessages => new GraphQLError(ex.Message, locations, path.ToList(), ErrorCodes.InternalError),
            _ => new GraphQLError("Unexpected error while resolving the field.", locations, path.ToList(), ErrorCodes.InternalError),
        };

        static Dictionary<string, object?>? Merge(GraphQLException g)
        {
            if (g.Extensions is null && g.Code is null)
            {
                return null;
            }

            var d = g.Extensions is null ? [] : new Dictionary<string, object?>(g.Extensions);
            if (g.Code is not null)
            {
                d["code"] = g.Code;
            }

            return d;
        }
    }

    private static List<SourceLocation> Locations(FieldGroup group)
    {
        var list = new List<SourceLocation>(group.Nodes.Count);
        foreach (var n in group.Nodes)
        {
            list.Add(n.Location.ToSourceLocation());
        }

        return list;
    }

    /// <summary>CompleteValue (spec §6.4.3).</summary>
    private ValueTask<object?> CompleteValue(RequestContext context, GraphQLType type, FieldGroup group, FieldPath path, object? value)
    {
        if (type is NonNullType nonNull)
        {
            var inner = CompleteValue(context, nonNull.OfType, group, path, value);
            if (inner.IsCompletedSuccessfully)
            {
                var r = inner.Result;
                if (r is null)
                {
                    throw NullForNonNull(group, path);
                }

                return inner;
            }

            return CheckNonNullAsync(inner, group, path);
        }

        if (value is null)
        {
            return default;
        }

        switch (type)
        {
            case ScalarType scalar:
                return new ValueTask<object?>(scalar.Serialize(value));
            case EnumType enumType:
                return new ValueTask<object?>((enumType.FromValue(value) ?? throw new ScalarCoercionException($"Enum \"{enumType.Name}\" cannot represent value: {ValueCoercion.Describe(value)}")).Name);
            case ListType list:
                return CompleteList(context, list, group, path, value);
            case ObjectType objectType:
                return ExecuteSelectionSetAsync(context, objectType, value, context.Collector.Collect(objectType, group), path, serial: false);
            default:
                var runtimeType = ResolveAbstractType(context, (NamedType)type, group, path, value);
                return ExecuteSelectionSetAsync(context, runtimeType, value, context.Collector.Collect(runtimeType, group), path, serial: false);
        }
    }

    private static FieldErrorException NullForNonNull(FieldGroup group, FieldPath? path)
    {
        var field = group.Definition!;
        _ = path;
        return new FieldErrorException(new GraphQLError($"Cannot return null for non-nullable field {field.DeclaringTypeName}.{field.Name}."));
    }

    private static async ValueTask<object?> CheckNonNullAsync(ValueTask<object?> inner, FieldGroup group, FieldPath path)
    {
        var r = await inner;
        if (r is null)
        {
            throw NullForNonNull(group, path);
        }

        return r;
    }

    private ValueTask<object?> CompleteList(RequestContext context, ListType list, FieldGroup group, FieldPath path, object value)
    {
        if (value is string || value is not IEnumerable enumerable)
        {
            throw new FieldErrorException(new GraphQLError($"Expected Iterable, but did not find one for field \"{group.Definition!.DeclaringTypeName}.{group.Definition.Name}\"."));
        }

        var items = value as IList ?? enumerable.Cast<object?>().ToList();
        var itemType = list.OfType;
        var result = new object?[items.Count];
        if (itemType.Nullable is ScalarType or EnumType)
        {
            // Leaf items: serialized in place; an item path is made only for an error.
            for (var i = 0; i < items.Count; i++)
            {
                try
                {
                    result[i] = CompleteLeaf(itemType, group, items[i]);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (HandleError(context, ex, itemType, group, new FieldPath(path, i)) is Bubble)
                    {
                        return new ValueTask<object?>(Bubble.Instance);
                    }
                }
            }

            return new ValueTask<object?>(result);
        }

        ValueTask<object?>[]? pending = null;
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = new FieldPath(path, i);
            var completed = CompleteCatching(context, itemType, group, itemPath, items[i]);
            if (completed.IsCompletedSuccessfully)
            {
                var v = completed.Result;
                if (v is Bubble)
                {
                    return pending is null ? new ValueTask<object?>(Bubble.Instance) : DrainThenBubbleAsync(pending);
                }

                result[i] = v;
            }
            else
            {
                pending ??= new ValueTask<object?>[items.Count];
                pending[i] = completed;
            }
        }

        return pending is null ? new ValueTask<object?>(result) : AwaitItemsAsync(result, pending);
    }

    private static async ValueTask<object?> AwaitItemsAsync(object?[] result, ValueTask<object?>[] pending)
    {
        var bubbled = false;
        for (var i = 0; i < pending.Length; i++)
        {
            if (pending[i] == default)
            {
                continue;
            }

            var v = await pending[i];
            if (v is Bubble)
            {
                bubbled = true;
            }
            else
            {
                result[i] = v;
            }
        }

        return bubbled ? Bubble.Instance : result;
    }

    private ObjectType ResolveAbstractType(RequestContext context, NamedType abstractType, FieldGroup group, FieldPath path, object value)
    {
        var resolver = abstractType switch
        {
            InterfaceType i => i.ResolveType,
            UnionType u => u.ResolveType,
            _ => null,
        };
        string? name = null;
        if (resolver is not null)
        {
            var parentType = (ObjectType)(group.Definition!.DeclaringType as ObjectType ?? context.Schema.QueryType);
            name = resolver(value, new ResolveContext(context, parentType, group.Definition, group, value, path, NoArguments));
        }

        name ??= value switch
        {
            IReadOnlyDictionary<string, object?> d when d.TryGetValue("__typename", out var t) => t as string,
            IDictionary<string, object?> d when d.TryGetValue("__typename", out var t) => t as string,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } e when e.TryGetProperty("__typename", out var t) => t.GetString(),
            _ => null,
        };

        if (name is null)
        {
            var clrType = value.GetType();
            foreach (var candidate in context.Schema.GetPossibleTypes(abstractType))
            {
                if (candidate.ClrTypes.Exists(t => t.IsAssignableFrom(clrType)))
                {
                    return candidate;
                }
            }

            foreach (var candidate in context.Schema.GetPossibleTypes(abstractType))
            {
                if (candidate.Name == clrType.Name)
                {
                    return candidate;
                }
            }

            throw new FieldErrorException(new GraphQLError(
                $"Abstract type \"{abstractType.Name}\" must resolve to an Object type at runtime for field \"{group.Definition!.DeclaringTypeName}.{group.Definition.Name}\". Either the \"{abstractType.Name}\" type should provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function."));
        }

        var runtimeType = context.Schema.GetType(name);
        if (runtimeType is not ObjectType objectType)
        {
            throw new FieldErrorException(new GraphQLError(runtimeType is null
                ? $"Abstract type \"{abstractType.Name}\" was resolved to a type \"{name}\" that does not exist inside the schema."
                : $"Abstract type \"{abstractType.Name}\" was resolved to a non-object type \"{name}\"."));
        }

        if (!context.Schema.IsSubType(abstractType, objectType))
        {
            throw new FieldErrorException(new GraphQLError($"Runtime Object type \"{objectType.Name}\" is not a possible type for \"{abstractType.Name}\"."));
        }

        return objectType;
    }
}

/// <summary>A field error with a prepared GraphQL error (its locations, when set, win over the field's).</summary>
internal sealed class FieldErrorException(GraphQLError error) : Exception(error.Message)
{
    public GraphQLError Error { get; } = error;
}
