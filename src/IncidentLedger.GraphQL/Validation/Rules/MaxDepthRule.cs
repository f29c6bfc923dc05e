using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>
/// Optional server rule (not in spec §5): an operation's field nesting, with fragments expanded, must not exceed a
/// limit. Introspection's own nesting under __schema/__type counts too.
/// </summary>
public sealed class MaxDepthRule(int maxDepth) : ValidationRule
{
    public static string DepthExceeded(string? operation, int depth, int max) =>
        $"The {(operation is null ? "anonymous operation" : $"operation \"{operation}\"")} is {depth} levels deep; the limit is {max}.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is not OperationDefinitionNode operation)
        {
            return node is DocumentNode;
        }

        var depth = Depth(context, operation.SelectionSet, 0, new HashSet<string>(StringComparer.Ordinal));
        if (depth > maxDepth)
        {
            context.ReportError(DepthExceeded(operation.Name?.Value, depth, maxDepth), operation);
        }

        return false;
    }

    private int Depth(ValidationContext context, SelectionSetNode set, int depth, HashSet<string> visiting)
    {
        // Stop counting once over the limit: the answer is already known and hostile documents stay cheap.
        if (depth > maxDepth)
        {
            return depth;
        }

        var max = depth;
        foreach (var selection in set.Selections)
        {
            var d = selection switch
            {
                FieldNode { SelectionSet: { } sub } => Depth(context, sub, depth + 1, visiting),
                FieldNode => depth + 1,
                InlineFragmentNode i => Depth(context, i.SelectionSet, depth, visiting),
                FragmentSpreadNode s when visiting.Add(s.Name.Value) => SpreadDepth(context, s, depth, visiting),
                _ => depth,
            };
            max = Math.Max(max, d);
        }

        return max;
    }

    private int SpreadDepth(ValidationContext context, FragmentSpreadNode spread, int depth, HashSet<string> visiting)
    {
        var result = context.GetFragment(spread.Name.Value) is { } fragment ? Depth(context, fragment.SelectionSet, depth, visiting) : depth;
        visiting.Remove(spread.Name.Value);
        return result;
    }
}
