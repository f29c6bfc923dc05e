using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation;

/// <summary>A variable used somewhere, with the input type and default value of the position it is used in.</summary>
public readonly record struct VariableUsage(VariableNode Node, GraphQLType? Type, bool HasLocationDefault, GraphQLType? ParentType);

/// <summary>
/// What rules see while the document is walked: the schema, the document, the type information of the current
/// position (spec "TypeInfo") and helpers for fragments and variable usages.
/// </summary>
public sealed class ValidationContext
{
    private readonly List<GraphQLError> _errors = [];
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments = new(StringComparer.Ordinal);
    private readonly Dictionary<SelectionSetNode, List<FragmentSpreadNode>> _spreads = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ExecutableDefinitionNode, List<FragmentDefinitionNode>> _recursiveFragments = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<SyntaxNode, List<VariableUsage>> _usages = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<OperationDefinitionNode, List<VariableUsage>> _recursiveUsages = new(ReferenceEqualityComparer.Instance);

    internal readonly List<NamedType?> ParentTypeStack = [];
    internal readonly List<GraphQLType?> TypeStack = [];
    internal readonly List<GraphQLType?> InputTypeStack = [];
    internal readonly List<FieldDefinition?> FieldDefStack = [];
    internal readonly List<InputValueDefinition?> DefaultValueStack = [];

    public ValidationContext(Schema schema, DocumentNode document, IReadOnlyDictionary<string, object?>? variables = null)
    {
        Schema = schema;
        Document = document;
        Variables = variables;
        foreach (var d in document.Definitions)
        {
            if (d is FragmentDefinitionNode f)
            {
                _fragments.TryAdd(f.FragmentName.Value, f);
            }
        }
    }

    public Schema Schema { get; }

    public DocumentNode Document { get; }

    /// <summary>Coerced variable values, for request-time rules (cost); null during cached validation.</summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; }

    public IReadOnlyList<GraphQLError> Errors => _errors;

    public void ReportError(string message, params SyntaxNode[] nodes) =>
        _errors.Add(new GraphQLError(message, nodes.Select(n => n.Location.ToSourceLocation()).ToList(), code: ErrorCodes.ValidationFailed));

    public void ReportError(string message, IEnumerable<SyntaxNode> nodes) => ReportError(message, nodes.ToArray());

    // Type information of the current position.

    public NamedType? ParentType => ParentTypeStack.Count > 0 ? ParentTypeStack[^1] : null;

    public GraphQLType? Type => TypeStack.Count > 0 ? TypeStack[^1] : null;

    public GraphQLType? InputType => InputTypeStack.Count > 0 ? InputTypeStack[^1] : null;

    public GraphQLType? ParentInputType => InputTypeStack.Count > 1 ? InputTypeStack[^2] : null;

    public FieldDefinition? FieldDef => FieldDefStack.Count > 0 ? FieldDefStack[^1] : null;

    public DirectiveDefinition? Directive { get; internal set; }

    public InputValueDefinition? Argument { get; internal set; }

    /// <summary>The input value definition whose default applies at the current position, if any.</summary>
    public InputValueDefinition? DefaultValueOwner => DefaultValueStack.Count > 0 ? DefaultValueStack[^1] : null;

    public FragmentDefinitionNode? GetFragment(string name) => _fragments.GetValueOrDefault(name);

    /// <summary>Fragment spreads directly in a selection set (including nested inline fragments and fields, not other fragments).</summary>
    public IReadOnlyList<FragmentSpreadNode> GetFragmentSpreads(SelectionSetNode node)
    {
        if (_spreads.TryGetValue(node, out var cached))
        {
            return cached;
        }

        var spreads = new List<FragmentSpreadNode>();
        var stack = new Stack<SelectionSetNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var set = stack.Pop();
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case FragmentSpreadNode s:
                        spreads.Add(s);
                        break;
                    case FieldNode { SelectionSet: { } sub }:
                        stack.Push(sub);
                        break;
                    case InlineFragmentNode i:
                        stack.Push(i.SelectionSet);
                        break;
                }
            }
        }

        _spreads[node] = spreads;
        return spreads;
    }

    /// <summary>Every fragment reachable from an operation or fragment through spreads.</summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(ExecutableDefinitionNode operation)
    {
        if (_recursiveFragments.TryGetValue(operation, out var cached))
        {
            return cached;
        }

        var fragments = new List<FragmentDefinitionNode>();
        var collected = new HashSet<string>(StringComparer.Ordinal);
        var toVisit = new Stack<SelectionSetNode>();
        toVisit.Push(operation.SelectionSet);
        while (toVisit.Count > 0)
        {
            var set = toVisit.Pop();
            foreach (var spread in GetFragmentSpreads(set))
            {
                var name = spread.Name.Value;
                if (collected.Add(name) && GetFragment(name) is { } fragment)
                {
                    fragments.Add(fragment);
                    toVisit.Push(fragment.SelectionSet);
                }
            }
        }

        _recursiveFragments[operation] = fragments;
        return fragments;
    }

    /// <summary>Variables used inside a definition (not following spreads), with the types of their positions.</summary>
    public IReadOnlyList<VariableUsage> GetVariableUsages(ExecutableDefinitionNode node)
    {
        if (_usages.TryGetValue(node, out var cached))
        {
            return cached;
        }

        var usages = new List<VariableUsage>();
        DocumentValidator.CollectVariableUsages(this, node, usages);
        _usages[node] = usages;
        return usages;
    }

    /// <summary>Variables used by an operation, including through the fragments it spreads.</summary>
    public IReadOnlyList<VariableUsage> GetRecursiveVariableUsages(OperationDefinitionNode operation)
    {
        if (_recursiveUsages.TryGetValue(operation, out var cached))
        {
            return cached;
        }

        var usages = new List<VariableUsage>(GetVariableUsages(operation));
        foreach (var fragment in GetRecursivelyReferencedFragments(operation))
        {
            usages.AddRange(GetVariableUsages(fragment));
        }

        _recursiveUsages[operation] = usages;
        return usages;
    }
}

/// <summary>
/// A validation rule: called on entering and leaving each node of the document, with type information already
/// updated for the node. Returning false from <see cref="Enter"/> skips the node's children for this rule only.
/// </summary>
public abstract class ValidationRule
{
    public virtual bool Enter(SyntaxNode node, ValidationContext context) => true;

    public virtual void Leave(SyntaxNode node, ValidationContext context)
    {
    }
}
