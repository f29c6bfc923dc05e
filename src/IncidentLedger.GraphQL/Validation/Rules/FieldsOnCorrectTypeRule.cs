using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.3.1 Field Selections: every selected field is defined on the type it is selected on.</summary>
public sealed class FieldsOnCorrectTypeRule : ValidationRule
{
    public static string UndefinedField(string field, string type) => $"Cannot query field \"{field}\" on type \"{type}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is FieldNode field && context.ParentType is { } parent && context.FieldDef is null)
        {
            context.ReportError(UndefinedField(field.Name.Value, parent.Name), field);
        }

        return true;
    }
}
