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

        var depth = Height(context, operation.SelectionSet, new Dictionary<string, int>(StringComparer.Ordinal));
        if (depth > maxDepth)
        {
            context.ReportError(DepthExceeded(operation.Name?.Value, depth, maxDepth), operation);
        }

        return false;
    }

    /// <summary>
    /// How many field levels a selection set adds. Each fragment is measured once (memoised), so a document whose
    /// fragments spread each other many times over stays linear; values stop at one past the limit, which is all the
    /// rule needs to know.
    /// </summary>
    private int Height(ValidationContext context, SelectionSetNode set, Dictionary<string, int> fragments)
    {
        var max = 0;
        foreach (var selection in set.Selections)
        {
            var height = selection switch
            {
                FieldNode { SelectionSet: { } sub } => 1 + Height(context, sub, fragments),
                FieldNode => 1,
                InlineFragmentNode i => Height(context, i.SelectionSet, fragments),
                FragmentSpreadNode s => FragmentHeight(context, s.Name.Value, fragments),
                _ => 0,
            };
            max = Math.Min(Math.Max(max, height), maxDepth + 1);
            if (max > maxDepth)
            {
                break;
            }
        }

        return max;
    }

    private int FragmentHeight(ValidationContext context, string name, Dictionary<string, int> fragments)
    {
        if (fragments.TryGetValue(name, out var known))
        {
            return known;
        }

        fragments[name] = 0; // a cycle (rejected by validation anyway) adds nothing
        var height = context.GetFragment(name) is { } fragment ? Height(context, fragment.SelectionSet, fragments) : 0;
        fragments[name] = height;
        return height;
    }
}
