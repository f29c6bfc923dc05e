using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.3.3 Leaf Field Selections: leaves have no selection set; objects, interfaces and unions need one.</summary>
public sealed class ScalarLeafsRule : ValidationRule
{
    public static string NoSubselectionAllowed(string field, string type) => $"Field \"{field}\" must not have a selection since type \"{type}\" has no subfields.";

    public static string RequiredSubselection(string field, string type) => $"Field \"{field}\" of type \"{type}\" must have a selection of subfields. Did you mean \"{field} {{ ... }}\"?";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is not FieldNode field || context.Type is not { } type)
        {
            return true;
        }

        if (type.Named.IsLeaf)
        {
            if (field.SelectionSet is not null)
            {
                context.ReportError(NoSubselectionAllowed(field.Name.Value, type.ToString()), field.SelectionSet);
            }
        }
        else if (field.SelectionSet is null)
        {
            context.ReportError(RequiredSubselection(field.Name.Value, type.ToString()), field);
        }

        return true;
    }
}
