using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.8.4 All Variables Used: every variable an operation defines is used in it or its fragments.</summary>
public sealed class NoUnusedVariablesRule : ValidationRule
{
    private List<VariableDefinitionNode> _definitions = [];

    public static string UnusedVariable(string name, string? operation) => operation is null
        ? $"Variable \"${name}\" is never used."
        : $"Variable \"${name}\" is never used in operation \"{operation}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case OperationDefinitionNode:
                _definitions = [];
                break;
            case VariableDefinitionNode v:
                _definitions.Add(v);
                break;
        }

        return true;
    }

    public override void Leave(SyntaxNode node, ValidationContext context)
    {
        if (node is not OperationDefinitionNode operation)
        {
            return;
        }

        var used = context.GetRecursiveVariableUsages(operation).Select(u => u.Node.Name.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var d in _definitions)
        {
            if (!used.Contains(d.Variable.Name.Value))
            {
                context.ReportError(UnusedVariable(d.Variable.Name.Value, operation.Name?.Value), d);
            }
        }
    }
}
