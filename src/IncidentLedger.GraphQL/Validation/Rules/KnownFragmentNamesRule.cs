using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.5.2.1 Fragment Spread Target Defined: spreads name fragments defined in the document.</summary>
public sealed class KnownFragmentNamesRule : ValidationRule
{
    public static string UnknownFragment(string name) => $"Unknown fragment \"{name}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is FragmentSpreadNode s && context.GetFragment(s.Name.Value) is null)
        {
            context.ReportError(UnknownFragment(s.Name.Value), s.Name);
        }

        return true;
    }
}
