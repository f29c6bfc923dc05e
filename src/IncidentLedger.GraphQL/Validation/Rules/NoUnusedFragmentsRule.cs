using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.5.1.4 Fragments Must Be Used: every fragment is spread by some operation, directly or indirectly.</summary>
public sealed class NoUnusedFragmentsRule : ValidationRule
{
    private readonly List<OperationDefinitionNode> _operations = [];
    private readonly List<FragmentDefinitionNode> _fragments = [];

    public static string UnusedFragment(string name) => $"Fragment \"{name}\" is never used.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case OperationDefinitionNode o:
                _operations.Add(o);
                return false;
            case FragmentDefinitionNode f:
                _fragments.Add(f);
                return false;
            default:
                return true;
        }
    }

    public override void Leave(SyntaxNode node, ValidationContext context)
    {
        if (node is not DocumentNode)
        {
            return;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in _operations)
        {
            foreach (var f in context.GetRecursivelyReferencedFragments(o))
            {
                used.Add(f.FragmentName.Value);
            }
        }

        foreach (var f in _fragments)
        {
            if (!used.Contains(f.FragmentName.Value))
            {
                context.ReportError(UnusedFragment(f.FragmentName.Value), f);
            }
        }
    }
}
