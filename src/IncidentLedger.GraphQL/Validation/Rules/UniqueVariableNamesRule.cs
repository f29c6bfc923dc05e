using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.8.1 Variable Uniqueness: an operation defines each variable once.</summary>
public sealed class UniqueVariableNamesRule : ValidationRule
{
    public static string DuplicateVariable(string name) => $"There can be only one variable named \"${name}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is OperationDefinitionNode o)
        {
            foreach (var group in o.VariableDefinitions.GroupBy(v => v.Variable.Name.Value, StringComparer.Ordinal))
            {
                var list = group.ToList();
                if (list.Count > 1)
                {
                    context.ReportError(DuplicateVariable(group.Key), list.Select(v => (SyntaxNode)v.Variable.Name));
                }
            }
        }

        return true;
    }
}
