using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.8.2 Variables Are Input Types: variables are scalars, enums or input objects (possibly wrapped).</summary>
public sealed class VariablesAreInputTypesRule : ValidationRule
{
    public static string NonInputTypeOnVariable(string variable, string type) => $"Variable \"${variable}\" cannot be non-input type \"{type}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is VariableDefinitionNode v && context.Schema.TypeFromAst(v.Type) is { IsInputType: false })
        {
            context.ReportError(NonInputTypeOnVariable(v.Variable.Name.Value, Printer.Print(v.Type)), v.Type);
        }

        return true;
    }
}
