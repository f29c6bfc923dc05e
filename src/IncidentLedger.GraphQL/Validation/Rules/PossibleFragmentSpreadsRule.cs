using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.5.2.3 Fragment Spread Is Possible: a fragment's type must overlap the type it is spread into.</summary>
public sealed class PossibleFragmentSpreadsRule : ValidationRule
{
    public static string ImpossibleInlineSpread(string parent, string fragmentType) =>
        $"Fragment cannot be spread here as objects of type \"{parent}\" can never be of type \"{fragmentType}\".";

    public static string ImpossibleSpread(string fragment, string parent, string fragmentType) =>
        $"Fragment \"{fragment}\" cannot be spread here as objects of type \"{parent}\" can never be of type \"{fragmentType}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case InlineFragmentNode i:
                if (context.Type is NamedType { IsComposite: true } fragType && context.ParentType is { IsComposite: true } parentType
                    && !Overlap(context.Schema, fragType, parentType))
                {
                    context.ReportError(ImpossibleInlineSpread(parentType.Name, fragType.Name), i);
                }

                break;
            case FragmentSpreadNode s:
                if (context.GetFragment(s.Name.Value) is { } fragment
                    && context.Schema.TypeFromAst(fragment.TypeCondition) is NamedType { IsComposite: true } spreadType
                    && context.ParentType is { } parent
                    && !Overlap(context.Schema, spreadType, parent))
                {
                    context.ReportError(ImpossibleSpread(s.Name.Value, parent.Name, spreadType.Name), s);
                }

                break;
        }

        return true;
    }

    /// <summary>True when some object type could be of both types.</summary>
    public static bool Overlap(Schema schema, NamedType a, NamedType b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.IsAbstract)
        {
            return b.IsAbstract
                ? schema.GetPossibleTypes(a).Any(t => schema.IsSubType(b, t))
                : schema.IsSubType(a, b);
        }

        return b.IsAbstract && schema.IsSubType(b, a);
    }
}
