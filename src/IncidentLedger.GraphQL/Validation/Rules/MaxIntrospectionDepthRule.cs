using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>
/// Rejects introspection queries that nest the list fields of __Type (fields, interfaces, possibleTypes, inputFields)
/// three deep, which could otherwise make a tiny query produce a huge response. Not a spec rule; the reference
/// implementation applies it by default, and so do we.
/// </summary>
public sealed class MaxIntrospectionDepthRule : ValidationRule
{
    private const int MaxListsDepth = 3;
    private readonly Dictionary<string, int> _checked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _exceeded = new(StringComparer.Ordinal);

    public static string MaxDepthExceeded() => "Maximum introspection depth exceeded";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is FieldNode f && f.Name.Value is "__schema" or "__type")
        {
            if (Exceeds(context, f, new Dictionary<string, int>(StringComparer.Ordinal), 0))
            {
                context.ReportError(MaxDepthExceeded(), f);
                return false;
            }
        }

        return true;
    }

    private bool Exceeds(ValidationContext context, SyntaxNode node, Dictionary<string, int> visited, int depth)
    {
        if (node is FragmentSpreadNode spread)
        {
            var name = spread.Name.Value;
            if (_exceeded.TryGetValue(name, out var exceededAt) && exceededAt <= depth)
            {
                return true;
            }

            if ((visited.TryGetValue(name, out var visitedAt) && visitedAt >= depth) || (_checked.TryGetValue(name, out var checkedAt) && checkedAt >= depth))
            {
                return false;
            }

            if (context.GetFragment(name) is not { } fragment)
            {
                return false;
            }

            visited[name] = depth;
            if (Exceeds(context, fragment, visited, depth))
            {
                _exceeded[name] = depth;
                return true;
            }

            _checked[name] = depth;
            return false;
        }

        if (node is FieldNode { Name.Value: "fields" or "interfaces" or "possibleTypes" or "inputFields" })
        {
            depth++;
            if (depth >= MaxListsDepth)
            {
                return true;
            }
        }

        var set = node switch
        {
            FieldNode field => field.SelectionSet,
            InlineFragmentNode inline => inline.SelectionSet,
            FragmentDefinitionNode fragment => fragment.SelectionSet,
            _ => null,
        };
        if (set is not null)
        {
            foreach (var child in set.Selections)
            {
                if (Exceeds(context, child, visited, depth))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
