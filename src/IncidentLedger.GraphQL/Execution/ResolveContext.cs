using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>A response path: field names and list indexes from the root.</summary>
public sealed class FieldPath
{
    internal FieldPath(FieldPath? parent, object key)
    {
        Parent = parent;
        Key = key;
    }

    public FieldPath? Parent { get; }

    /// <summary>A response name (string) or a list index (int).</summary>
    public object Key { get; }

    public IReadOnlyList<object> ToList()
    {
        var depth = 0;
        for (var p = this; p is not null; p = p.Parent)
        {
            depth++;
        }

        var result = new object[depth];
        for (var p = this; p is not null; p = p.Parent)
        {
            result[--depth] = p.Key;
        }

        return result;
    }

    public override string ToString() => string.Join(".", ToList());
}

/// <summary>What a resolver sees: its parent value, coerced arguments, the caller's context and the selection it must satisfy.</summary>
public interface IResolveContext
{
    /// <summary>The value the parent field resolved to (the root value for root fields).</summary>
    object? Parent { get; }

    /// <summary>Coerced argument values: input objects as dictionaries, lists as lists, enums as their bound values.</summary>
    IReadOnlyDictionary<string, object?> Arguments { get; }

    /// <summary>The per-request caller context, e.g. a ClaimsPrincipal.</summary>
    object? UserContext { get; }

    IServiceProvider? Services { get; }

    CancellationToken CancellationToken { get; }

    FieldPath Path { get; }

    FieldDefinition Field { get; }

    ObjectType ParentType { get; }

    /// <summary>The field nodes merged into this field (usually one).</summary>
    IReadOnlyList<FieldNode> FieldNodes { get; }

    Schema Schema { get; }

    OperationDefinitionNode Operation { get; }

    IReadOnlyDictionary<string, object?> Variables { get; }

    /// <summary>Per-request state shared by all resolvers.</summary>
    IDictionary<string, object?> Items { get; }

    /// <summary>An argument converted to T, or default when absent or null.</summary>
    T? Argument<T>(string name);

    /// <summary>Look-ahead: the fields selected below this one for the given object type (or the field's own type), fragments and directives applied.</summary>
    IReadOnlyList<FieldNode> SelectedFields(ObjectType? type = null);

    /// <summary>The request's DataLoader with this name, created on first use.</summary>
    DataLoader<TKey, TValue> DataLoader<TKey, TValue>(string name, BatchLoader<TKey, TValue> batch)
        where TKey : notnull;
}

internal sealed class ResolveContext(RequestContext request, ObjectType parentType, FieldDefinition field, FieldGroup group, object? parent, FieldPath path, IReadOnlyDictionary<string, object?> arguments)
    : IResolveContext
{
    public object? Parent { get; } = parent;

    public IReadOnlyDictionary<string, object?> Arguments { get; } = arguments;

    public object? UserContext => request.UserContext;

    public IServiceProvider? Services => request.Services;

    public CancellationToken CancellationToken => request.CancellationToken;

    public FieldPath Path { get; } = path;

    public FieldDefinition Field { get; } = field;

    public ObjectType ParentType { get; } = parentType;

    public IReadOnlyList<FieldNode> FieldNodes => group.Nodes;

    public Schema Schema => request.Schema;

    public OperationDefinitionNode Operation => request.Operation;

    public IReadOnlyDictionary<string, object?> Variables => request.Variables;

    public IDictionary<string, object?> Items => request.Items;

    public T? Argument<T>(string name)
    {
        if (!Arguments.TryGetValue(name, out var value) || value is null)
        {
            return default;
        }

        if (value is T t)
        {
            return t;
        }

        return (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<FieldNode> SelectedFields(ObjectType? type = null)
    {
        type ??= Field.Type.Named as ObjectType;
        if (type is null)
        {
            return [];
        }

        return request.Collector.Collect(type, group).Select(g => g.Nodes[0]).ToList();
    }

    public DataLoader<TKey, TValue> DataLoader<TKey, TValue>(string name, BatchLoader<TKey, TValue> batch)
        where TKey : notnull => request.GetDataLoader(name, batch);
}
