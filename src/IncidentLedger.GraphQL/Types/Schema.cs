using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>
/// An immutable, validated schema: its types, directives and root operation types. Built by
/// <see cref="SchemaBuilder"/>; used by validation and execution.
/// </summary>
public sealed class Schema
{
    private readonly Dictionary<string, NamedType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DirectiveDefinition> _directives = new(StringComparer.Ordinal);
    private readonly Dictionary<NamedType, List<ObjectType>> _possibleTypes = [];
    private readonly Dictionary<InterfaceType, List<InterfaceType>> _interfaceImplementations = [];
    private readonly Dictionary<(NamedType, NamedType), bool> _subTypeCache = [];

    internal Schema(
        string? description,
        ObjectType queryType,
        ObjectType? mutationType,
        ObjectType? subscriptionType,
        IReadOnlyList<NamedType> declaredTypes,
        IReadOnlyList<DirectiveDefinition> directives,
        Introspection introspection)
    {
        Description = description;
        QueryType = queryType;
        MutationType = mutationType;
        SubscriptionType = subscriptionType;
        Introspection = introspection;
        Directives = directives;
        foreach (var d in directives)
        {
            _directives.TryAdd(d.Name, d);
        }

        // Type order follows the reference implementation: declared types in order, each followed by
        // the not-yet-seen types it references; then root types, directive argument types, introspection types.
        var ordered = new List<NamedType>();
        var seen = new HashSet<NamedType>();
        foreach (var t in declaredTypes)
        {
            Collect(t, ordered, seen, declared: declaredTypes);
        }

        Collect(queryType, ordered, seen, null);
        if (mutationType is not null)
        {
            Collect(mutationType, ordered, seen, null);
        }

        if (subscriptionType is not null)
        {
            Collect(subscriptionType, ordered, seen, null);
        }

        foreach (var d in directives)
        {
            foreach (var a in d.Arguments)
            {
                Collect(a.Type.Named, ordered, seen, null);
            }
        }

        Collect(introspection.SchemaType, ordered, seen, null);
        Types = ordered;
        foreach (var t in ordered)
        {
            _types[t.Name] = t;
        }

        foreach (var t in ordered)
        {
            switch (t)
            {
                case ObjectType o:
                    foreach (var i in o.Interfaces)
                    {
                        PossibleList(i).Add(o);
                    }

                    break;
                case InterfaceType it:
                    foreach (var i in it.Interfaces)
                    {
                        if (!_interfaceImplementations.TryGetValue(i, out var list))
                        {
                            _interfaceImplementations[i] = list = [];
                        }

                        list.Add(it);
                    }

                    break;
                case UnionType u:
                    _possibleTypes[u] = [.. u.Types];
                    break;
            }
        }
    }

    private List<ObjectType> PossibleList(NamedType t)
    {
        if (!_possibleTypes.TryGetValue(t, out var list))
        {
            _possibleTypes[t] = list = [];
        }

        return list;
    }

    private static void Collect(NamedType type, List<NamedType> ordered, HashSet<NamedType> seen, IReadOnlyList<NamedType>? declared)
    {
        // Declared types all count as seen from the start, so only undeclared (built-in) types are pulled forward.
        if (declared is not null)
        {
            if (seen.Count == 0)
            {
                foreach (var d in declared)
                {
                    seen.Add(d);
                }
            }

            ordered.Add(type);
            CollectChildren(type, ordered, seen);
            return;
        }

        if (!seen.Add(type))
        {
            return;
        }

        ordered.Add(type);
        CollectChildren(type, ordered, seen);
    }

    private static void CollectChildren(NamedType type, List<NamedType> ordered, HashSet<NamedType> seen)
    {
        switch (type)
        {
            case UnionType u:
                foreach (var m in u.Types)
                {
                    Collect(m, ordered, seen, null);
                }

                break;
            case ComplexType c:
                foreach (var i in c.Interfaces)
                {
                    Collect(i, ordered, seen, null);
                }

                foreach (var f in c.Fields)
                {
                    Collect(f.Type.Named, ordered, seen, null);
                    foreach (var a in f.Arguments)
                    {
                        Collect(a.Type.Named, ordered, seen, null);
                    }
                }

                break;
            case InputObjectType io:
                foreach (var f in io.Fields)
                {
                    Collect(f.Type.Named, ordered, seen, null);
                }

                break;
        }
    }

    public string? Description { get; }

    public ObjectType QueryType { get; }

    public ObjectType? MutationType { get; }

    public ObjectType? SubscriptionType { get; }

    /// <summary>Every named type, user-defined, built-in and introspection, in introspection order.</summary>
    public IReadOnlyList<NamedType> Types { get; }

    public IReadOnlyList<DirectiveDefinition> Directives { get; }

    internal Introspection Introspection { get; }

    public NamedType? GetType(string name) => _types.GetValueOrDefault(name);

    public DirectiveDefinition? GetDirective(string name) => _directives.GetValueOrDefault(name);

    public ObjectType? GetRootType(OperationType operation) => operation switch
    {
        OperationType.Query => QueryType,
        OperationType.Mutation => MutationType,
        _ => SubscriptionType,
    };

    /// <summary>The object types that an interface or union can resolve to.</summary>
    public IReadOnlyList<ObjectType> GetPossibleTypes(NamedType abstractType) => abstractType switch
    {
        ObjectType o => [o],
        _ => _possibleTypes.TryGetValue(abstractType, out var list) ? list : [],
    };

    /// <summary>True when <paramref name="maybeSubType"/> is a member of the union or implements the interface.</summary>
    public bool IsSubType(NamedType abstractType, NamedType maybeSubType)
    {
        lock (_subTypeCache)
        {
            if (_subTypeCache.TryGetValue((abstractType, maybeSubType), out var cached))
            {
                return cached;
            }
        }

        var result = abstractType switch
        {
            UnionType u => maybeSubType is ObjectType o && u.Types.Contains(o),
            InterfaceType i => maybeSubType switch
            {
                ObjectType o => o.Interfaces.Contains(i),
                InterfaceType it => it.Interfaces.Contains(i),
                _ => false,
            },
            _ => false,
        };
        lock (_subTypeCache)
        {
            _subTypeCache[(abstractType, maybeSubType)] = result;
        }

        return result;
    }

    /// <summary>Looks up a field including the meta-fields __typename, __schema and __type.</summary>
    public FieldDefinition? GetFieldDefinition(NamedType parentType, string fieldName)
    {
        if (fieldName.Length > 1 && fieldName[0] == '_' && fieldName[1] == '_')
        {
            switch (fieldName)
            {
                case "__typename" when parentType is ObjectType or InterfaceType or UnionType:
                    return Introspection.TypeNameField;
                case "__schema" when ReferenceEquals(parentType, QueryType):
                    return Introspection.SchemaField;
                case "__type" when ReferenceEquals(parentType, QueryType):
                    return Introspection.TypeField;
            }
        }

        return parentType is ComplexType c ? c.GetField(fieldName) : null;
    }

    /// <summary>Resolves a type reference in a document against this schema; null when a named type is unknown.</summary>
    public GraphQLType? TypeFromAst(TypeNode node) => node switch
    {
        NamedTypeNode n => GetType(n.Name.Value),
        ListTypeNode l => TypeFromAst(l.Type) is { } inner ? new ListType(inner) : null,
        NonNullTypeNode nn => TypeFromAst(nn.Type) is { } inner && inner is not NonNullType ? new NonNullType(inner) : null,
        _ => null,
    };

    /// <summary>Prints the schema as SDL (user-defined types and directives only).</summary>
    public string ToSdl() => SchemaPrinter.Print(this);
}
