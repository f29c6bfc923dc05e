using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.2.1.1 Operation Name Uniqueness: each named operation has a name of its own.</summary>
public sealed class UniqueOperationNamesRule : ValidationRule
{
    private readonly Dictionary<string, NameNode> _known = new(StringComparer.Ordinal);

    public static string DuplicateOperationName(string name) => $"There can be only one operation named \"{name}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case OperationDefinitionNode { Name: { } name }:
                if (_known.TryGetValue(name.Value, out var first))
                {
                    context.ReportError(DuplicateOperationName(name.Value), first, name);
                }
                else
                {
                    _known[name.Value] = name;
                }

                return false;
            case OperationDefinitionNode:
            case FragmentDefinitionNode:
                return false;
            default:
                return true;
        }
    }
}
