using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.2.3.1 Single Root Field: a subscription selects exactly one root field, and not an introspection field.</summary>
public sealed class SingleFieldSubscriptionsRule : ValidationRule
{
    public static string MoreThanOneRootField(string? operationName) => operationName is null
        ? "Anonymous Subscription must select only one top level field."
        : $"Subscription \"{operationName}\" must select only one top level field.";

    public static string IntrospectionRootField(string? operationName) => operationName is null
        ? "Anonymous Subscription must not select an introspection top level field."
        : $"Subscription \"{operationName}\" must not select an introspection top level field.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is not OperationDefinitionNode { Operation: OperationType.Subscription } operation || context.Schema.SubscriptionType is not { } root)
        {
            return true;
        }

        var fields = new List<(string Name, List<FieldNode> Nodes)>();
        Collect(context, root, operation.SelectionSet, fields, new HashSet<string>(StringComparer.Ordinal));
        var name = operation.Name?.Value;
        if (fields.Count > 1)
        {
            context.ReportError(MoreThanOneRootField(name), fields.Skip(1).SelectMany(f => f.Nodes));
        }

        foreach (var (_, nodes) in fields)
        {
            if (nodes[0].Name.Value.StartsWith("__", StringComparison.Ordinal))
            {
                context.ReportError(IntrospectionRootField(name), nodes);
            }
        }

        return true;
    }

    // CollectFields with no variables: @skip/@include only take effect with literal arguments.
    private static void Collect(ValidationContext context, ObjectType type, SelectionSetNode set, List<(string Name, List<FieldNode> Nodes)> fields, HashSet<string> visited)
    {
        foreach (var selection in set.Selections)
        {
            if (!Included(selection.Directives))
            {
                continue;
            }

            switch (selection)
            {
                case FieldNode f:
                    var index = fields.FindIndex(x => x.Name == f.ResponseName);
                    if (index < 0)
                    {
                        fields.Add((f.ResponseName, [f]));
                    }
                    else
                    {
                        fields[index].Nodes.Add(f);
                    }

                    break;
                case InlineFragmentNode i when Applies(context, i.TypeCondition, type):
                    Collect(context, type, i.SelectionSet, fields, visited);
                    break;
                case FragmentSpreadNode s when visited.Add(s.Name.Value):
                    if (context.GetFragment(s.Name.Value) is { } fragment && Applies(context, fragment.TypeCondition, type))
                    {
                        Collect(context, type, fragment.SelectionSet, fields, visited);
                    }

                    break;
            }
        }
    }

    private static bool Included(IReadOnlyList<DirectiveNode> directives)
    {
        foreach (var d in directives)
        {
            var value = d.Arguments.FirstOrDefault(a => a.Name.Value == "if")?.Value is BooleanValueNode b && b.Value;
            if ((d.Name.Value == "skip" && value) || (d.Name.Value == "include" && !value && d.Arguments.Any(a => a.Value is BooleanValueNode)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Applies(ValidationContext context, NamedTypeNode? condition, ObjectType type)
    {
        if (condition is null)
        {
            return true;
        }

        var t = context.Schema.GetType(condition.Name.Value);
        return ReferenceEquals(t, type) || (t is InterfaceType or UnionType && context.Schema.IsSubType(t, type));
    }
}
