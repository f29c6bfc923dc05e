using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.5.1.1 Fragment Name Uniqueness.</summary>
public sealed class UniqueFragmentNamesRule : ValidationRule
{
    private readonly Dictionary<string, NameNode> _known = new(StringComparer.Ordinal);

    public static string DuplicateFragmentName(string name) => $"There can be only one fragment named \"{name}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case OperationDefinitionNode:
                return false;
            case FragmentDefinitionNode f:
                if (_known.TryGetValue(f.FragmentName.Value, out var first))
                {
                    context.ReportError(DuplicateFragmentName(f.FragmentName.Value), first, f.FragmentName);
                }
                else
                {
                    _known[f.FragmentName.Value] = f.FragmentName;
                }

                return false;
            default:
                return true;
        }
    }
}
