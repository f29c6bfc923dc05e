using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.5.1.3 Fragments On Composite Types: type conditions name objects, interfaces or unions.</summary>
public sealed class FragmentsOnCompositeTypesRule : ValidationRule
{
    public static string InlineFragmentOnNonComposite(string type) => $"Fragment cannot condition on non composite type \"{type}\".";

    public static string FragmentOnNonComposite(string fragment, string type) => $"Fragment \"{fragment}\" cannot condition on non composite type \"{type}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case InlineFragmentNode { TypeCondition: { } condition }:
                if (context.Schema.TypeFromAst(condition) is { IsComposite: false } t)
                {
                    context.ReportError(InlineFragmentOnNonComposite(t.ToString()), condition);
                }

                break;
            case FragmentDefinitionNode f:
                if (context.Schema.TypeFromAst(f.TypeCondition) is { IsComposite: false } ft)
                {
                    context.ReportError(FragmentOnNonComposite(f.FragmentName.Value, ft.ToString()), f.TypeCondition);
                }

                break;
        }

        return true;
    }
}
