using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>
/// Optional server rule (not in spec §5): the estimated cost of an operation must not exceed a limit. Each field costs
/// its <see cref="FieldDefinition.Cost"/> (default 1 for composite fields, 0 for leaves) plus the cost of its selection;
/// a list field counts that once per item, taking the list size from a paging argument (first, last, limit, take) or
/// a default — so 500 objects cost 500 even when only their leaves are selected.
/// </summary>
public sealed class MaxCostRule(int maxCost, int defaultListSize = 10) : ValidationRule
{
    private static readonly string[] PagingArguments = ["first", "last", "limit", "take"];

    public static string CostExceeded(string? operation, long cost, int max) =>
        $"The {(operation is null ? "anonymous operation" : $"operation \"{operation}\"")} has an estimated cost of {cost}; the limit is {max}.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is not OperationDefinitionNode operation)
        {
            return node is DocumentNode;
        }

        var root = context.Schema.GetRootType(operation.Operation);
        if (root is null)
        {
            return false;
        }

        var cost = Cost(context, root, operation.SelectionSet, new Dictionary<string, long>(StringComparer.Ordinal));
        if (cost > maxCost)
        {
            context.ReportError(CostExceeded(operation.Name?.Value, cost, maxCost), operation);
        }

        return false;
    }

    /// <summary>The estimated cost of an operation, for reporting in response extensions.</summary>
    public static long Estimate(Schema schema, DocumentNode document, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?>? variables, int defaultListSize = 10)
    {
        var rule = new MaxCostRule(int.MaxValue, defaultListSize);
        var context = new ValidationContext(schema, document, variables);
        var root = schema.GetRootType(operation.Operation);
        return root is null ? 0 : rule.Cost(context, root, operation.SelectionSet, new Dictionary<string, long>(StringComparer.Ordinal));
    }

    /// <summary>Costs saturate here, so no document can overflow its way under the limit.</summary>
    private const long Saturated = long.MaxValue / 4;

    private static long Add(long a, long b) => Math.Min(a + b, Saturated);

    private static long Multiply(long a, long b) => a == 0 || b == 0 ? 0 : a > Saturated / b ? Saturated : Math.Min(a * b, Saturated);

    /// <summary>The cost of a selection set; each fragment is costed once per operation (memoised), so spreads repeated many times over stay linear.</summary>
    private long Cost(ValidationContext context, NamedType parent, SelectionSetNode set, Dictionary<string, long> fragments)
    {
        long total = 0;
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case FieldNode f:
                    var def = context.Schema.GetFieldDefinition(parent, f.Name.Value);
                    if (def is null)
                    {
                        continue;
                    }

                    long fieldCost = def.Cost ?? (def.Type.Named.IsLeaf ? 0 : 1);
                    if (f.SelectionSet is not null)
                    {
                        fieldCost = Add(fieldCost, Cost(context, def.Type.Named, f.SelectionSet, fragments));
                    }

                    if (IsList(def.Type))
                    {
                        fieldCost = Multiply(fieldCost, ListSize(context, f));
                    }

                    total = Add(total, fieldCost);
                    break;
                case InlineFragmentNode i:
                    var type = i.TypeCondition is null ? parent : context.Schema.GetType(i.TypeCondition.Name.Value) ?? parent;
                    total = Add(total, Cost(context, type, i.SelectionSet, fragments));
                    break;
                case FragmentSpreadNode s:
                    total = Add(total, FragmentCost(context, parent, s.Name.Value, fragments));
                    break;
            }
        }

        return total;
    }

    private long FragmentCost(ValidationContext context, NamedType parent, string name, Dictionary<string, long> fragments)
    {
        if (fragments.TryGetValue(name, out var known))
        {
            return known;
        }

        fragments[name] = 0; // a cycle (rejected by validation anyway) costs nothing more
        var cost = context.GetFragment(name) is { } fragment
            ? Cost(context, context.Schema.GetType(fragment.TypeCondition.Name.Value) ?? parent, fragment.SelectionSet, fragments)
            : 0;
        fragments[name] = cost;
        return cost;
    }

    private static bool IsList(GraphQLType type) => type.Nullable is ListType;

    private long ListSize(ValidationContext context, FieldNode field)
    {
        foreach (var argument in field.Arguments)
        {
            if (Array.IndexOf(PagingArguments, argument.Name.Value) < 0)
            {
                continue;
            }

            switch (argument.Value)
            {
                case IntValueNode i:
                    return long.TryParse(i.Value, out var n) ? Math.Clamp(n, 0, Saturated) : Saturated;
                case VariableNode v when context.Variables is not null && context.Variables.TryGetValue(v.Name.Value, out var value) && value is int or long:
                    return Math.Clamp(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), 0, Saturated);
            }
        }

        return defaultListSize;
    }
}
