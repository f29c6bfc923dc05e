using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;
using IncidentLedger.GraphQL.Validation.Rules;

namespace IncidentLedger.GraphQL.Validation;

/// <summary>
/// Applies the per-request optional rules (introspection, depth, cost) to the selected operation. The outcome
/// depends on the schema, the operation (documents are immutable), the caller's limits and, for the cost of
/// a list sized by a variable, the variables. So the rules that cannot depend on variables (and the cost, for
/// an operation without variables) are checked once per schema and limits, their outcome kept with the
/// operation; only the cost of an operation with variables is estimated on every request.
/// </summary>
internal static class RequestLimits
{
    private readonly record struct Limits(Schema Schema, bool AllowIntrospection, int? MaxDepth, int? MaxCost, int DefaultListSize);

    private static readonly ConditionalWeakTable<OperationDefinitionNode, ConcurrentDictionary<Limits, IReadOnlyList<GraphQLError>>> Checked = [];

    public static IReadOnlyList<GraphQLError> Check(Schema schema, DocumentNode document, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables, ExecutionOptions options)
    {
        var limits = new Limits(schema, options.AllowIntrospection, options.MaxDepth, options.MaxCost, options.DefaultListSize);
        if (limits is { AllowIntrospection: true, MaxDepth: null, MaxCost: null })
        {
            return [];
        }

        var sized = operation.VariableDefinitions.Count > 0 && limits.MaxCost is not null;
        var fixedLimits = sized ? limits with { MaxCost = null } : limits;
        var known = Checked.GetValue(operation, static _ => new ConcurrentDictionary<Limits, IReadOnlyList<GraphQLError>>())
            .GetOrAdd(fixedLimits, static (key, checking) => Run(key, checking.document, checking.operation, null), (document, operation));
        return sized ? [.. known, .. Run(limits with { AllowIntrospection = true, MaxDepth = null }, document, operation, variables)] : known;
    }

    private static IReadOnlyList<GraphQLError> Run(Limits limits, DocumentNode document, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?>? variables)
    {
        var rules = new List<(ValidationRule Rule, string Code)>();
        if (!limits.AllowIntrospection)
        {
            rules.Add((new NoIntrospectionRule(), ErrorCodes.IntrospectionDisabled));
        }

        if (limits.MaxDepth is { } depth)
        {
            rules.Add((new MaxDepthRule(depth), ErrorCodes.LimitExceeded));
        }

        if (limits.MaxCost is { } cost)
        {
            rules.Add((new MaxCostRule(cost, limits.DefaultListSize), ErrorCodes.LimitExceeded));
        }

        // Only the selected operation (and the fragments it uses) is checked.
        var fragments = document.Definitions.OfType<FragmentDefinitionNode>();
        var single = new DocumentNode(document.Location, [operation, .. fragments]);
        var errors = new List<GraphQLError>();
        foreach (var (rule, code) in rules)
        {
            foreach (var e in DocumentValidator.Validate(limits.Schema, single, [rule], variables))
            {
                errors.Add(new GraphQLError(e.Message, e.Locations, code: code));
            }
        }

        return errors;
    }
}
