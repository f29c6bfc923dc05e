using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Types;

/// <summary>The kinds reported by introspection's __TypeKind.</summary>
public enum TypeKind { Scalar, Object, Interface, Union, Enum, InputObject, List, NonNull }

/// <summary>Any GraphQL type: a named type or a list / non-null wrapper.</summary>
public abstract class GraphQLType
{
    public abstract TypeKind Kind { get; }

    /// <summary>The named type under all wrappers.</summary>
    public abstract NamedType Named { get; }

    public bool IsNonNull => Kind == TypeKind.NonNull;

    /// <summary>This type without an outer non-null wrapper.</summary>
    public GraphQLType Nullable => this is NonNullType n ? n.OfType : this;

    public bool IsInputType => Named is ScalarType or EnumType or InputObjectType;

    public bool IsOutputType => Named is ScalarType or EnumType or ObjectType or InterfaceType or UnionType;

    public bool IsLeaf => this is ScalarType or EnumType;

    public bool IsComposite => this is ObjectType or InterfaceType or UnionType;

    public bool IsAbstract => this is InterfaceType or UnionType;

    public abstract override string ToString();

    /// <summary>Structural equality of type references (named types are compared by identity).</summary>
    public static bool AreEqual(GraphQLType a, GraphQLType b) => (a, b) switch
    {
        (NonNullType x, NonNullType y) => AreEqual(x.OfType, y.OfType),
        (ListType x, ListType y) => AreEqual(x.OfType, y.OfType),
        _ => ReferenceEquals(a, b),
    };
}

/// <summary>[T]</summary>
public sealed class ListType(GraphQLType ofType) : GraphQLType
{
    public GraphQLType OfType { get; } = ofType;

    public override TypeKind Kind => TypeKind.List;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"[{OfType}]";
}

/// <summary>T!</summary>
public sealed class NonNullType : GraphQLType
{
    public NonNullType(GraphQLType ofType)
    {
        if (ofType is NonNullType)
        {
            throw new ArgumentException("A non-null type cannot wrap a non-null type.", nameof(ofType));
        }

        OfType = ofType;
    }

    public GraphQLType OfType { get; }

    public override TypeKind Kind => TypeKind.NonNull;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"{OfType}!";
}

/// <summary>A type with a name: scalar, object, interface, union, enum or input object.</summary>
public abstract class NamedType(string name) : GraphQLType
{
    public string Name { get; } = name;

    public string? Description { get; set; }

    /// <summary>Directives applied to the definition in SDL (and its extensions).</summary>
    public IReadOnlyList<DirectiveNode> AppliedDirectives { get; set; } = [];

    public override NamedType Named => this;

    public override string ToString() => Name;

    internal bool IsBuiltIn { get; set; }
}

/// <summary>An argument, input field or variable-like typed input with an optional default.</summary>
public sealed class InputValueDefinition(string name, GraphQLType type)
{
    public string Name { get; } = name;

    public GraphQLType Type { get; internal set; } = type;

    public string? Description { get; set; }

    /// <summary>The default as written in SDL; null when there is none.</summary>
    public ValueNode? DefaultValueLiteral { get; set; }

    public bool HasDefaultValue => DefaultValueLiteral is not null;

    /// <summary>The coerced default value (valid when <see cref="HasDefaultValue"/>).</summary>
    public object? DefaultValue { get; internal set; }

    public string? DeprecationReason { get; set; }

    public bool IsDeprecated => DeprecationReason is not null;

    public IReadOnlyList<DirectiveNode> AppliedDirectives { get; set; } = [];

    internal InputValueDefinitionNode? Node { get; set; }
}

/// <summary>Resolves a field's value.</summary>
public delegate ValueTask<object?> FieldResolver(IResolveContext context);

/// <summary>Creates the source stream of a subscription field.</summary>
public delegate ValueTask<IAsyncEnumerable<object?>> SubscriptionResolver(IResolveContext context);

/// <summary>Names the object type of a value returned for an interface or union.</summary>
public delegate string? TypeResolver(object value, IResolveContext context);

/// <summary>A field of an object or interface type.</summary>
public sealed class FieldDefinition(string name, GraphQLType type)
{
    public string Name { get; } = name;

    public GraphQLType Type { get; internal set; } = type;

    public string? Description { get; set; }

    public IReadOnlyList<InputValueDefinition> Arguments { get; internal set; } = [];

    public string? DeprecationReason { get; set; }

    public bool IsDeprecated => DeprecationReason is not null;

    public IReadOnlyList<DirectiveNode> AppliedDirectives { get; set; } = [];

    /// <summary>The bound resolver; null means the engine reads a property or key of the parent.</summary>
    public FieldResolver? Resolver { get; internal set; }

    /// <summary>For subscription root fields: the source stream.</summary>
    public SubscriptionResolver? Subscriber { get; internal set; }

    /// <summary>Cost of resolving the field once, for the cost limit; defaults to 1 (0 for leaves).</summary>
    public int? Cost { get; set; }

    /// <summary>The type that declares this field.</summary>
    public ComplexType DeclaringType { get; internal set; } = null!;

    internal string DeclaringTypeName => DeclaringType?.Name ?? "Query";

    internal PropertyReader? DefaultReader { get; set; }

    internal FieldDefinitionNode? Node { get; set; }

    public InputValueDefinition? GetArgument(string name)
    {
        foreach (var a in Arguments)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }
}

/// <summary>An object or interface type: named fields plus implemented interfaces.</summary>
public abstract class ComplexType(string name) : NamedType(name)
{
    private Dictionary<string, FieldDefinition> _fields = new(StringComparer.Ordinal);

    public IReadOnlyList<FieldDefinition> Fields { get; private set; } = [];

    public IReadOnlyList<InterfaceType> Interfaces { get; internal set; } = [];

    public FieldDefinition? GetField(string name) => _fields.GetValueOrDefault(name);

    internal void SetFields(List<FieldDefinition> fields)
    {
        Fields = fields;
        _fields = new Dictionary<string, FieldDefinition>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            _fields.TryAdd(f.Name, f);
            f.DeclaringType = this;
        }
    }

    public bool Implements(InterfaceType iface) => Interfaces.Contains(iface);
}

/// <summary>An object type.</summary>
public sealed class ObjectType(string name) : ComplexType(name)
{
    public override TypeKind Kind => TypeKind.Object;

    /// <summary>CLR types whose instances are of this GraphQL type, for abstract type resolution.</summary>
    internal List<Type> ClrTypes { get; } = [];
}

/// <summary>An interface type.</summary>
public sealed class InterfaceType(string name) : ComplexType(name)
{
    public override TypeKind Kind => TypeKind.Interface;

    public TypeResolver? ResolveType { get; internal set; }
}

/// <summary>A union type.</summary>
public sealed class UnionType(string name) : NamedType(name)
{
    public override TypeKind Kind => TypeKind.Union;

    public IReadOnlyList<ObjectType> Types { get; internal set; } = [];

    public TypeResolver? ResolveType { get; internal set; }
}

/// <summary>One value of an enum type.</summary>
public sealed class EnumValueDefinition(string name, object value)
{
    public string Name { get; } = name;

    /// <summary>The CLR value resolvers see for this enum value (the name unless bound otherwise).</summary>
    public object Value { get; internal set; } = value;

    public string? Description { get; set; }

    public string? DeprecationReason { get; set; }

    public bool IsDeprecated => DeprecationReason is not null;

    public IReadOnlyList<DirectiveNode> AppliedDirectives { get; set; } = [];
}

/// <summary>An enum type.</summary>
public sealed class EnumType(string name) : NamedType(name)
{
    private Dictionary<string, EnumValueDefinition> _byName = new(StringComparer.Ordinal);
    private Dictionary<object, EnumValueDefinition> _byValue = [];

    public override TypeKind Kind => TypeKind.Enum;

    public IReadOnlyList<EnumValueDefinition> Values { get; private set; } = [];

    public EnumValueDefinition? GetValue(string name) => _byName.GetValueOrDefault(name);

    internal void SetValues(List<EnumValueDefinition> values)
    {
        Values = values;
        Reindex();
    }

    internal void Reindex()
    {
        _byName = new Dictionary<string, EnumValueDefinition>(StringComparer.Ordinal);
        _byValue = [];
        foreach (var v in Values)
        {
            _byName.TryAdd(v.Name, v);
            _byValue.TryAdd(v.Value, v);
        }
    }

    /// <summary>Output coercion: a CLR value (bound value, name string or CLR enum) to its enum value.</summary>
    public EnumValueDefinition? FromValue(object value)
    {
        if (_byValue.TryGetValue(value, out var v))
        {
            return v;
        }

        if (value is string s)
        {
            return GetValue(s);
        }

        return value is Enum e ? FromEnumName(e.ToString()) : null;
    }

    private EnumValueDefinition? FromEnumName(string clrName)
    {
        foreach (var v in Values)
        {
            if (string.Equals(v.Name.Replace("_", "", StringComparison.Ordinal), clrName, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }
}

/// <summary>An input object type.</summary>
public sealed class InputObjectType(string name) : NamedType(name)
{
    private Dictionary<string, InputValueDefinition> _fields = new(StringComparer.Ordinal);

    public override TypeKind Kind => TypeKind.InputObject;

    public IReadOnlyList<InputValueDefinition> Fields { get; private set; } = [];

    /// <summary>True for a @oneOf input object: exactly one field must be given, and it must not be null.</summary>
    public bool IsOneOf { get; internal set; }

    public InputValueDefinition? GetField(string name) => _fields.GetValueOrDefault(name);

    internal void SetFields(List<InputValueDefinition> fields)
    {
        Fields = fields;
        _fields = new Dictionary<string, InputValueDefinition>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            _fields.TryAdd(f.Name, f);
        }
    }
}

/// <summary>Where a directive may be applied.</summary>
public enum DirectiveLocation
{
    Query, Mutation, Subscription, Field, FragmentDefinition, FragmentSpread, InlineFragment, VariableDefinition,
    Schema, Scalar, Object, FieldDefinition, ArgumentDefinition, Interface, Union, Enum, EnumValue, InputObject, InputFieldDefinition,
    DirectiveDefinition,
}

/// <summary>A directive definition.</summary>
public sealed class DirectiveDefinition(string name, IReadOnlyList<DirectiveLocation> locations)
{
    public string Name { get; } = name;

    public string? Description { get; set; }

    public IReadOnlyList<DirectiveLocation> Locations { get; } = locations;

    public IReadOnlyList<InputValueDefinition> Arguments { get; internal set; } = [];

    public bool IsRepeatable { get; set; }

    public string? DeprecationReason { get; set; }

    internal bool IsBuiltIn { get; set; }

    public InputValueDefinition? GetArgument(string name) => Arguments.FirstOrDefault(a => a.Name == name);

    public static string LocationName(DirectiveLocation location) => location switch
    {
        DirectiveLocation.Query => "QUERY",
        DirectiveLocation.Mutation => "MUTATION",
        DirectiveLocation.Subscription => "SUBSCRIPTION",
        DirectiveLocation.Field => "FIELD",
        DirectiveLocation.FragmentDefinition => "FRAGMENT_DEFINITION",
        DirectiveLocation.FragmentSpread => "FRAGMENT_SPREAD",
        DirectiveLocation.InlineFragment => "INLINE_FRAGMENT",
        DirectiveLocation.VariableDefinition => "VARIABLE_DEFINITION",
        DirectiveLocation.Schema => "SCHEMA",
        DirectiveLocation.Scalar => "SCALAR",
        DirectiveLocation.Object => "OBJECT",
        DirectiveLocation.FieldDefinition => "FIELD_DEFINITION",
        DirectiveLocation.ArgumentDefinition => "ARGUMENT_DEFINITION",
        DirectiveLocation.Interface => "INTERFACE",
        DirectiveLocation.Union => "UNION",
        DirectiveLocation.Enum => "ENUM",
        DirectiveLocation.EnumValue => "ENUM_VALUE",
        DirectiveLocation.InputObject => "INPUT_OBJECT",
        DirectiveLocation.DirectiveDefinition => "DIRECTIVE_DEFINITION",
        _ => "INPUT_FIELD_DEFINITION",
    };

    public static DirectiveLocation? ParseLocation(string name)
    {
        foreach (var l in Enum.GetValues<DirectiveLocation>())
        {
            if (LocationName(l) == name)
            {
                return l;
            }
        }

        return null;
    }
}
