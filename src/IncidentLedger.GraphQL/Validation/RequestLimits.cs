using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;
using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Validation;

/// <summary>Applies the per-request optional rules (introspection, depth, cost) to the selected operation.</summary>
internal static class RequestLimits
{
    public static IReadOnlyList<GraphQLError> Check(Schema schema, DocumentNode document, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables, ExecutionOptions options)
    {
        var rules = new List<(ValidationRule Rule, string Code)>();
        if (!options.AllowIntrospection)
        {
            rules.Add((new NoIntrospectionRule(), ErrorCodes.IntrospectionDisabled));
        }

        if (options.MaxDepth is { } depth)
        {
            rules.Add((new MaxDepthRule(depth), ErrorCodes.LimitExceeded));
        }

        if (options.MaxCost is { } cost)
        {
            rules.Add((new MaxCostRule(cost, options.DefaultListSize), ErrorCodes.LimitExceeded));
        }

        if (rules.Count == 0)
        {
            return [];
        }

        // Only the selected operation (and the fragments it uses) is checked.
        var fragments = document.Definitions.OfType<FragmentDefinitionNode>();
        var single = new DocumentNode(document.Location, [operation, .. fragments]);
        var errors = new List<GraphQLError>();
        foreach (var (rule, code) in rules)
        {
            foreach (var e in DocumentValidator.Validate(schema, single, [rule], variables))
            {
                errors.Add(new GraphQLError(e.Message, e.Locations, code: code));
            }
        }

        return errors;
    }
}
