namespace IncidentLedger.GraphQL.Language;

/// <summary>Where a node sits in its document: character offsets and the line/column of its first character.</summary>
public readonly record struct Location(int Start, int End, int Line, int Column)
{
    public SourceLocation ToSourceLocation() => new(Line, Column);
}

/// <summary>The kind of an operation.</summary>
public enum OperationType { Query, Mutation, Subscription }

/// <summary>Base of every syntax tree node.</summary>
public abstract record SyntaxNode(Location Location)
{
    // Nodes are compared by identity: two fields with equal text at different places are different selections.
    public virtual bool Equals(SyntaxNode? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}

/// <summary>A name token.</summary>
public sealed record NameNode(Location Location, string Value) : SyntaxNode(Location)
{
    public override string ToString() => Value;
}

/// <summary>A parsed document: executable definitions and/or type-system definitions.</summary>
public sealed record DocumentNode(Location Location, IReadOnlyList<DefinitionNode> Definitions) : SyntaxNode(Location)
{
    /// <summary>The number of lexical tokens the document had, for limits and cost.</summary>
    public int TokenCount { get; init; }
}

/// <summary>A top-level definition.</summary>
public abstract record DefinitionNode(Location Location) : SyntaxNode(Location);

/// <summary>An operation or fragment definition.</summary>
public abstract record ExecutableDefinitionNode(Location Location, NameNode? Name, IReadOnlyList<DirectiveNode> Directives, SelectionSetNode SelectionSet) : DefinitionNode(Location);

/// <summary>query / mutation / subscription.</summary>
public sealed record OperationDefinitionNode(Location Location, OperationType Operation, NameNode? Name, IReadOnlyList<VariableDefinitionNode> VariableDefinitions, IReadOnlyList<DirectiveNode> Directives, SelectionSetNode SelectionSet)
    : ExecutableDefinitionNode(Location, Name, Directives, SelectionSet)
{
    public StringValueNode? Description { get; init; }
}

/// <summary>fragment Name on Type { ... }</summary>
public sealed record FragmentDefinitionNode(Location Location, NameNode FragmentName, NamedTypeNode TypeCondition, IReadOnlyList<DirectiveNode> Directives, SelectionSetNode SelectionSet)
    : ExecutableDefinitionNode(Location, FragmentName, Directives, SelectionSet)
{
    public StringValueNode? Description { get; init; }
}

/// <summary>$name: Type = default @directives</summary>
public sealed record VariableDefinitionNode(Location Location, VariableNode Variable, TypeNode Type, ValueNode? DefaultValue, IReadOnlyList<DirectiveNode> Directives) : SyntaxNode(Location)
{
    public StringValueNode? Description { get; init; }
}

/// <summary>{ selections }</summary>
public sealed record SelectionSetNode(Location Location, IReadOnlyList<SelectionNode> Selections) : SyntaxNode(Location);

/// <summary>A field, fragment spread or inline fragment.</summary>
public abstract record SelectionNode(Location Location, IReadOnlyList<DirectiveNode> Directives) : SyntaxNode(Location);

/// <summary>alias: name(arguments) @directives { selections }</summary>
public sealed record FieldNode(Location Location, NameNode? Alias, NameNode Name, IReadOnlyList<ArgumentNode> Arguments, IReadOnlyList<DirectiveNode> Directives, SelectionSetNode? SelectionSet)
    : SelectionNode(Location, Directives)
{
    public string ResponseName => Alias?.Value ?? Name.Value;
}

/// <summary>...Name @directives</summary>
public sealed record FragmentSpreadNode(Location Location, NameNode Name, IReadOnlyList<DirectiveNode> Directives) : SelectionNode(Location, Directives);

/// <summary>... on Type @directives { selections }</summary>
public sealed record InlineFragmentNode(Location Location, NamedTypeNode? TypeCondition, IReadOnlyList<DirectiveNode> Directives, SelectionSetNode SelectionSet)
    : SelectionNode(Location, Directives);

/// <summary>name: value</summary>
public sealed record ArgumentNode(Location Location, NameNode Name, ValueNode Value) : SyntaxNode(Location);

/// <summary>@name(arguments)</summary>
public sealed record DirectiveNode(Location Location, NameNode Name, IReadOnlyList<ArgumentNode> Arguments) : SyntaxNode(Location);

/// <summary>An input value literal.</summary>
public abstract record ValueNode(Location Location) : SyntaxNode(Location);

public sealed record VariableNode(Location Location, NameNode Name) : ValueNode(Location);

public sealed record IntValueNode(Location Location, string Value) : ValueNode(Location);

public sealed record FloatValueNode(Location Location, string Value) : ValueNode(Location);

public sealed record StringValueNode(Location Location, string Value, bool Block) : ValueNode(Location);

public sealed record BooleanValueNode(Location Location, bool Value) : ValueNode(Location);

public sealed record NullValueNode(Location Location) : ValueNode(Location);

public sealed record EnumValueNode(Location Location, string Value) : ValueNode(Location);

public sealed record ListValueNode(Location Location, IReadOnlyList<ValueNode> Values) : ValueNode(Location);

public sealed record ObjectValueNode(Location Location, IReadOnlyList<ObjectFieldNode> Fields) : ValueNode(Location);

public sealed record ObjectFieldNode(Location Location, NameNode Name, ValueNode Value) : SyntaxNode(Location);

/// <summary>A type reference: Name, [Type] or Type!.</summary>
public abstract record TypeNode(Location Location) : SyntaxNode(Location);

public sealed record NamedTypeNode(Location Location, NameNode Name) : TypeNode(Location);

public sealed record ListTypeNode(Location Location, TypeNode Type) : TypeNode(Location);

public sealed record NonNullTypeNode(Location Location, TypeNode Type) : TypeNode(Location);

// Type-system language.

/// <summary>A schema, type or directive definition or extension.</summary>
public abstract record TypeSystemNode(Location Location) : DefinitionNode(Location);

public sealed record SchemaDefinitionNode(Location Location, StringValueNode? Description, IReadOnlyList<DirectiveNode> Directives, IReadOnlyList<OperationTypeDefinitionNode> OperationTypes) : TypeSystemNode(Location);

public sealed record SchemaExtensionNode(Location Location, IReadOnlyList<DirectiveNode> Directives, IReadOnlyList<OperationTypeDefinitionNode> OperationTypes) : TypeSystemNode(Location);

public sealed record OperationTypeDefinitionNode(Location Location, OperationType Operation, NamedTypeNode Type) : SyntaxNode(Location);

/// <summary>A named type's definition or extension.</summary>
public abstract record TypeDefinitionOrExtensionNode(Location Location, NameNode Name, IReadOnlyList<DirectiveNode> Directives) : TypeSystemNode(Location)
{
    public abstract bool IsExtension { get; }
}

public sealed record ScalarTypeDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<DirectiveNode> Directives, bool Extension = false)
    : TypeDefinitionOrExtensionNode(Location, Name, Directives)
{
    public override bool IsExtension => Extension;
}

public sealed record ObjectTypeDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<NamedTypeNode> Interfaces, IReadOnlyList<DirectiveNode> Directives, IReadOnlyList<FieldDefinitionNode> Fields, bool Extension = false)
    : TypeDefinitionOrExtensionNode(Location, Name, Directives)
{
    public override bool IsExtension => Extension;
}

public sealed record InterfaceTypeDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<NamedTypeNode> Interfaces, IReadOnlyList<DirectiveNode> Directives, IReadOnlyList<FieldDefinitionNode> Fields, bool Extension = false)
    : TypeDefinitionOrExtensionNode(Location, Name, Directives)
{
    public override bool IsExtension => Extension;
}

public sealed record UnionTypeDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<DirectiveNode> Directives, IReadOnlyList<NamedTypeNode> Types, bool Extension = false)
    : TypeDefinitionOrExtensionNode(Location, Name, Directives)
{
    public override bool IsExtension => Extension;
}

public sealed record EnumTypeDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<DirectiveNode> Directives, IReadOnlyList<EnumValueDefinitionNode> Values, bool Extension = false)
    : TypeDefinitionOrExtensionNode(Location, Name, Directives)
{
    public override bool IsExtension => Extension;
}

public sealed record InputObjectTypeDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<DirectiveNode> Directives, IReadOnlyList<InputValueDefinitionNode> Fields, bool Extension = false)
    : TypeDefinitionOrExtensionNode(Location, Name, Directives)
{
    public override bool IsExtension => Extension;
}

public sealed record FieldDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<InputValueDefinitionNode> Arguments, TypeNode Type, IReadOnlyList<DirectiveNode> Directives) : SyntaxNode(Location);

public sealed record InputValueDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, TypeNode Type, ValueNode? DefaultValue, IReadOnlyList<DirectiveNode> Directives) : SyntaxNode(Location);

public sealed record EnumValueDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<DirectiveNode> Directives) : SyntaxNode(Location);

public sealed record DirectiveDefinitionNode(Location Location, StringValueNode? Description, NameNode Name, IReadOnlyList<InputValueDefinitionNode> Arguments, bool Repeatable, IReadOnlyList<NameNode> Locations) : TypeSystemNode(Location);
