using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.6.2 Input Object Field Uniqueness: an input object literal gives each field once.</summary>
public sealed class UniqueInputFieldNamesRule : ValidationRule
{
    private readonly Stack<Dictionary<string, NameNode>> _known = new();

    public static string DuplicateInputField(string name) => $"There can be only one input field named \"{name}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case ObjectValueNode:
                _known.Push(new Dictionary<string, NameNode>(StringComparer.Ordinal));
                break;
            case ObjectFieldNode f when _known.Count > 0:
                var known = _known.Peek();
                if (known.TryGetValue(f.Name.Value, out var first))
                {
                    context.ReportError(DuplicateInputField(f.Name.Value), first, f.Name);
                }
                else
                {
                    known[f.Name.Value] = f.Name;
                }

                break;
        }

        return true;
    }

    public override void Leave(SyntaxNode node, ValidationContext context)
    {
        if (node is ObjectValueNode)
        {
            _known.Pop();
        }
    }
}
