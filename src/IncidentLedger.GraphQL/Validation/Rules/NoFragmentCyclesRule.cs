using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.5.2.2 Fragment Spreads Must Not Form Cycles. Each fragment is searched once (depth-first).</summary>
public sealed class NoFragmentCyclesRule : ValidationRule
{
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private readonly List<FragmentSpreadNode> _spreadPath = [];
    private readonly Dictionary<string, int> _spreadPathIndex = new(StringComparer.Ordinal);

    public static string CycleErrorMessage(string fragment, IEnumerable<string> via)
    {
        var viaText = string.Join(", ", via.Select(v => $"\"{v}\""));
        return $"Cannot spread fragment \"{fragment}\" within itself" + (viaText.Length > 0 ? $" via {viaText}." : ".");
    }

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case OperationDefinitionNode:
                return false;
            case FragmentDefinitionNode f:
                Detect(f, context);
                return false;
            default:
                return true;
        }
    }

    private void Detect(FragmentDefinitionNode fragment, ValidationContext context)
    {
        var name = fragment.FragmentName.Value;
        if (!_visited.Add(name))
        {
            return;
        }

        var spreads = context.GetFragmentSpreads(fragment.SelectionSet);
        if (spreads.Count == 0)
        {
            return;
        }

        _spreadPathIndex[name] = _spreadPath.Count;
        foreach (var spread in spreads)
        {
            var spreadName = spread.Name.Value;
            _spreadPath.Add(spread);
            if (!_spreadPathIndex.TryGetValue(spreadName, out var cycleIndex))
            {
                if (context.GetFragment(spreadName) is { } target)
                {
                    Detect(target, context);
                }
            }
            else
            {
                var cycle = _spreadPath.Skip(cycleIndex).ToList();
                context.ReportError(CycleErrorMessage(spreadName, cycle.Take(cycle.Count - 1).Select(s => s.Name.Value)), cycle);
            }

            _spreadPath.RemoveAt(_spreadPath.Count - 1);
        }

        _spreadPathIndex.Remove(name);
    }
}
