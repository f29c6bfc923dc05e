using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.8.3 All Variable Uses Defined: every variable used (through fragments too) is defined by the operation.</summary>
public sealed class NoUndefinedVariablesRule : ValidationRule
{
    private HashSet<string> _defined = new(StringComparer.Ordinal);

    public static string UndefinedVariable(string name, string? operation) => operation is null
        ? $"Variable \"${name}\" is not defined."
        : $"Variable \"${name}\" is not defined by operation \"{operation}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case OperationDefinitionNode:
                _defined = new HashSet<string>(StringComparer.Ordinal);
                break;
            case VariableDefinitionNode v:
                _defined.Add(v.Variable.Name.Value);
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

        foreach (var usage in context.GetRecursiveVariableUsages(operation))
        {
            var name = usage.Node.Name.Value;
            if (!_defined.Contains(name))
            {
                context.ReportError(UndefinedVariable(name, operation.Name?.Value), usage.Node, operation);
            }
        }
    }
}
