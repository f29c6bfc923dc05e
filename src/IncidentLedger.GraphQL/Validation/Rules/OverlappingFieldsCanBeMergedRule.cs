using System.Text;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>
/// Spec §5.3.2 Field Selection Merging: fields with the same response name can be merged — same field and arguments
/// (unless their parents can never apply together) and compatible types, recursively.
/// Fields are grouped by response name, so only fields that share one are compared; collected field sets, fragment
/// pair comparisons and argument comparisons are memoized, and identical simple leaves are compared once, which keeps
/// large documents near-linear.
/// </summary>
public sealed class OverlappingFieldsCanBeMergedRule : ValidationRule
{
    private const int MaxConflictNodes = 20;
    private const int MaxDetailLength = 1000;

    private readonly Dictionary<(string, string), bool> _comparedFragmentPairs = [];
    private readonly Dictionary<NamedType, Dictionary<SelectionSetNode, Collected>> _collected = [];
    private readonly Dictionary<ValueNode, string> _stringified = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Collected, Dictionary<Collected, List<(string, List<FieldInfo>, List<FieldInfo>)>>> _overlaps = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<SyntaxNode> _parents = new();
    private static readonly NamedType NoType = new ObjectType("__none");

    public static string FieldsConflict(string responseName, string reason) =>
        $"Fields \"{Abbreviate(responseName)}\" conflict because {reason}. Use different aliases on the fields to fetch both if this was intentional.";

    private static string Abbreviate(string text) => text.Length > MaxDetailLength ? text[..MaxDetailLength] + "..." : text;

    private sealed record Conflict(string ResponseName, string Reason, List<FieldNode> Fields1, List<FieldNode> Fields2);

    private sealed class FieldInfo(NamedType? parentType, FieldNode node, FieldDefinition? definition)
    {
        public NamedType? ParentType { get; } = parentType;

        public FieldNode Node { get; } = node;

        public FieldDefinition? Definition { get; } = definition;

        public bool IsSimpleLeaf { get; } = node.Arguments.Count == 0 && node.SelectionSet is null;

        public Dictionary<FieldInfo, string?> Comparisons { get; } = new(ReferenceEqualityComparer.Instance);
    }

    private sealed class Collected
    {
        public Dictionary<string, List<FieldInfo>> Fields { get; } = new(StringComparer.Ordinal);

        public List<string> FieldOrder { get; } = [];

        public List<string> FragmentNames { get; } = [];

        public Dictionary<string, bool>? ComparedFragments { get; set; }
    }

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        var parent = _parents.Count > 0 ? _parents.Peek() : null;
        _parents.Push(node);
        if (node is not SelectionSetNode set || parent is InlineFragmentNode)
        {
            return true;
        }

        if (set.Selections.Count <= 1 && set.Selections[0] is not InlineFragmentNode)
        {
            return true;
        }

        var conflicts = new List<Conflict>();
        var collected = Collect(context, context.ParentType, set);
        CollectWithin(conflicts, collected);
        if (collected.FragmentNames.Count > 0 && (collected.Fields.Count > 0 || collected.FragmentNames.Count > 1))
        {
            for (var i = 0; i < collected.FragmentNames.Count; i++)
            {
                BetweenFieldsAndFragment(context, conflicts, false, collected, collected.FragmentNames[i]);
                for (var j = i + 1; j < collected.FragmentNames.Count; j++)
                {
                    BetweenFragments(context, conflicts, false, collected.FragmentNames[i], collected.FragmentNames[j]);
                }
            }
        }

        foreach (var c in conflicts)
        {
            context.ReportError(FieldsConflict(c.ResponseName, c.Reason), c.Fields1.Concat(c.Fields2));
        }

        return true;
    }

    public override void Leave(SyntaxNode node, ValidationContext context) => _parents.Pop();

    private void BetweenFieldsAndFragment(ValidationContext context, List<Conflict> conflicts, bool exclusive, Collected fields, string fragmentName)
    {
        if (fields.Fields.Count == 0)
        {
            return;
        }

        fields.ComparedFragments ??= new Dictionary<string, bool>(StringComparer.Ordinal);
        if (fields.ComparedFragments.TryGetValue(fragmentName, out var compared) && (!compared || exclusive))
        {
            return;
        }

        fields.ComparedFragments[fragmentName] = exclusive;
        if (context.GetFragment(fragmentName) is not { } fragment)
        {
            return;
        }

        var fragmentFields = CollectFragment(context, fragment);
        if (ReferenceEquals(fields, fragmentFields))
        {
            return;
        }

        Between(conflicts, exclusive, fields, fragmentFields);
        foreach (var referenced in fragmentFields.FragmentNames)
        {
            BetweenFieldsAndFragment(context, conflicts, exclusive, fields, referenced);
        }
    }

    private void BetweenFragments(ValidationContext context, List<Conflict> conflicts, bool exclusive, string name1, string name2)
    {
        if (name1 == name2 || PairSeen(name1, name2, exclusive))
        {
            return;
        }

        _comparedFragmentPairs[(name1, name2)] = exclusive;
        if (context.GetFragment(name1) is not { } f1 || context.GetFragment(name2) is not { } f2)
        {
            return;
        }

        var c1 = CollectFragment(context, f1);
        var c2 = CollectFragment(context, f2);
        Between(conflicts, exclusive, c1, c2);
        foreach (var referenced in c2.FragmentNames)
        {
            BetweenFragments(context, conflicts, exclusive, name1, referenced);
        }

        foreach (var referenced in c1.FragmentNames)
        {
            BetweenFragments(context, conflicts, exclusive, referenced, name2);
        }
    }

    private bool PairSeen(string a, string b, bool exclusive)
    {
        bool Has(string x, string y) => _comparedFragmentPairs.TryGetValue((x, y), out var stored) && (exclusive || exclusive == stored);
        return Has(a, b) || Has(b, a);
    }

    private List<Conflict> BetweenSubSelections(ValidationContext context, bool exclusive, NamedType? type1, SelectionSetNode set1, NamedType? type2, SelectionSetNode set2)
    {
        var conflicts = new List<Conflict>();
        var c1 = Collect(context, type1, set1);
        var c2 = Collect(context, type2, set2);
        Between(conflicts, exclusive, c1, c2);
        foreach (var f2 in c2.FragmentNames)
        {
            BetweenFieldsAndFragment(context, conflicts, exclusive, c1, f2);
        }

        foreach (var f1 in c1.FragmentNames)
        {
            BetweenFieldsAndFragment(context, conflicts, exclusive, c2, f1);
        }

        foreach (var f1 in c1.FragmentNames)
        {
            foreach (var f2 in c2.FragmentNames)
            {
                BetweenFragments(context, conflicts, exclusive, f1, f2);
            }
        }

        return conflicts;
    }

    private void CollectWithin(List<Conflict> conflicts, Collected collected)
    {
        foreach (var responseName in collected.FieldOrder)
        {
            var fields = collected.Fields[responseName];
            if (fields.Count <= 1)
            {
                continue;
            }

            // Copies of one field (same parent type, name, arguments and selection) are compared with each other once:
            // when two copies do not conflict, no two copies do, so a field repeated n times costs n, not n².
            var classes = new List<List<FieldInfo>>();
            var bySignature = new Dictionary<string, List<FieldInfo>>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                var signature = Signature(field);
                if (!bySignature.TryGetValue(signature, out var members))
                {
                    bySignature[signature] = members = [];
                    classes.Add(members);
                }

                members.Add(field);
            }

            for (var a = 0; a < classes.Count; a++)
            {
                var members = classes[a];
                if (members.Count > 1 && FindConflict(false, responseName, members[0], members[1]) is not null)
                {
                    ComparePairs(conflicts, responseName, members, members, within: true);
                }

                for (var b = a + 1; b < classes.Count; b++)
                {
                    ComparePairs(conflicts, responseName, members, classes[b], within: false);
                }
            }
        }
    }

    private void ComparePairs(List<Conflict> conflicts, string responseName, List<FieldInfo> first, List<FieldInfo> second, bool within)
    {
        for (var i = 0; i < first.Count; i++)
        {
            for (var j = within ? i + 1 : 0; j < second.Count; j++)
            {
                // Two simple leaves with one name never conflict.
                if (first[i].IsSimpleLeaf && second[j].IsSimpleLeaf && first[i].Node.Name.Value == second[j].Node.Name.Value)
                {
                    continue;
                }

                if (FindConflict(false, responseName, first[i], second[j]) is { } conflict)
                {
                    conflicts.Add(conflict);
                }
            }
        }
    }

    private ValidationContext? _context;
    private readonly Dictionary<FieldNode, string> _signatures = new(ReferenceEqualityComparer.Instance);

    private string Signature(FieldInfo field)
    {
        if (!_signatures.TryGetValue(field.Node, out var text))
        {
            var node = field.Node with { Alias = null, Directives = [] };
            text = Printer.Print(node);
            _signatures[field.Node] = text;
        }

        return System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(field.ParentType ?? NoType) + "|" + text;
    }

    private void Between(List<Conflict> conflicts, bool exclusive, Collected c1, Collected c2)
    {
        if (c1.Fields.Count == 0 || c2.Fields.Count == 0)
        {
            return;
        }

        foreach (var (responseName, fields1, fields2) in Overlapping(c1, c2))
        {
            foreach (var f1 in fields1)
            {
                foreach (var f2 in fields2)
                {
                    if (FindConflict(exclusive, responseName, f1, f2) is { } conflict)
                    {
                        conflicts.Add(conflict);
                    }
                }
            }
        }
    }

    private List<(string, List<FieldInfo>, List<FieldInfo>)> Overlapping(Collected c1, Collected c2)
    {
        if (!_overlaps.TryGetValue(c1, out var byOther))
        {
            _overlaps[c1] = byOther = new Dictionary<Collected, List<(string, List<FieldInfo>, List<FieldInfo>)>>(ReferenceEqualityComparer.Instance);
        }

        if (byOther.TryGetValue(c2, out var cached))
        {
            return cached;
        }

        var result = new List<(string, List<FieldInfo>, List<FieldInfo>)>();
        foreach (var name in c1.FieldOrder)
        {
            if (c2.Fields.TryGetValue(name, out var fields2))
            {
                result.Add((name, c1.Fields[name], fields2));
            }
        }

        byOther[c2] = result;
        return result;
    }

    private Conflict? FindConflict(bool parentsExclusive, string responseName, FieldInfo f1, FieldInfo f2)
    {
        var exclusive = parentsExclusive || (!ReferenceEquals(f1.ParentType, f2.ParentType) && f1.ParentType is ObjectType && f2.ParentType is ObjectType);
        if (f1.IsSimpleLeaf && f2.IsSimpleLeaf && f1.Node.Name.Value == f2.Node.Name.Value)
        {
            return null;
        }

        if (!exclusive)
        {
            if (!f1.Comparisons.TryGetValue(f2, out var reason))
            {
                var name1 = f1.Node.Name.Value;
                var name2 = f2.Node.Name.Value;
                reason = name1 != name2
                    ? $"\"{Abbreviate(name1)}\" and \"{Abbreviate(name2)}\" are different fields"
                    : SameArguments(f1.Node.Arguments, f2.Node.Arguments) ? null : "they have differing arguments";
                f1.Comparisons[f2] = reason;
            }

            if (reason is not null)
            {
                return new Conflict(responseName, reason, [f1.Node], [f2.Node]);
            }
        }

        var type1 = f1.Definition?.Type;
        var type2 = f2.Definition?.Type;
        if (type1 is not null && type2 is not null && TypesConflict(type1, type2))
        {
            return new Conflict(responseName, $"they return conflicting types \"{type1}\" and \"{type2}\"", [f1.Node], [f2.Node]);
        }

        if (f1.Node.SelectionSet is { } s1 && f2.Node.SelectionSet is { } s2)
        {
            var sub = BetweenSubSelections(_context!, exclusive, type1?.Named, s1, type2?.Named, s2);
            if (sub.Count > 0)
            {
                var message = new StringBuilder();
                foreach (var c in sub)
                {
                    message.Append(message.Length == 0 ? "" : " and ").Append($"subfields \"{Abbreviate(c.ResponseName)}\" conflict because {c.Reason}");
                    if (message.Length > MaxDetailLength)
                    {
                        break;
                    }
                }

                return new Conflict(responseName, Abbreviate(message.ToString()), ConflictNodes(f1.Node, sub, true), ConflictNodes(f2.Node, sub, false));
            }
        }

        return null;
    }

    private static List<FieldNode> ConflictNodes(FieldNode node, List<Conflict> conflicts, bool first)
    {
        var nodes = new List<FieldNode> { node };
        foreach (var c in conflicts)
        {
            var side = first ? c.Fields1 : c.Fields2;
            var remaining = MaxConflictNodes - nodes.Count;
            nodes.AddRange(side.Skip(Math.Max(0, side.Count - remaining)));
            if (nodes.Count == MaxConflictNodes)
            {
                break;
            }
        }

        return nodes;
    }

    private bool SameArguments(IReadOnlyList<ArgumentNode> a1, IReadOnlyList<ArgumentNode> a2)
    {
        if (a1.Count == 0)
        {
            return a2.Count == 0;
        }

        if (a1.Count != a2.Count)
        {
            return false;
        }

        foreach (var arg1 in a1)
        {
            var arg2 = a2.FirstOrDefault(a => a.Name.Value == arg1.Name.Value);
            if (arg2 is null || Stringify(arg1.Value) != Stringify(arg2.Value))
            {
                return false;
            }
        }

        return true;
    }

    private string Stringify(ValueNode value)
    {
        if (_stringified.TryGetValue(value, out var cached))
        {
            return cached;
        }

        var sb = new StringBuilder();
        Write(sb, value);
        var text = sb.ToString();
        _stringified[value] = text;
        return text;

        static void Write(StringBuilder sb, ValueNode v)
        {
            switch (v)
            {
                case VariableNode n:
                    sb.Append('$').Append(n.Name.Value);
                    break;
                case ObjectValueNode o:
                    sb.Append('{');
                    foreach (var f in o.Fields.OrderBy(f => f.Name.Value, StringComparer.Ordinal))
                    {
                        sb.Append(f.Name.Value).Append(':');
                        Write(sb, f.Value);
                        sb.Append(',');
                    }

                    sb.Append('}');
                    break;
                case ListValueNode l:
                    sb.Append('[');
                    foreach (var item in l.Values)
                    {
                        Write(sb, item);
                        sb.Append(',');
                    }

                    sb.Append(']');
                    break;
                case StringValueNode s:
                    sb.Append(s.Block ? "B" : "S").Append(System.Text.Json.JsonSerializer.Serialize(s.Value));
                    break;
                case IntValueNode i:
                    sb.Append('I').Append(i.Value);
                    break;
                case FloatValueNode f:
                    sb.Append('F').Append(f.Value);
                    break;
                case BooleanValueNode b:
                    sb.Append(b.Value ? "true" : "false");
                    break;
                case EnumValueNode e:
                    sb.Append('E').Append(e.Value);
                    break;
                default:
                    sb.Append("null");
                    break;
            }
        }
    }

    private static bool TypesConflict(GraphQLType t1, GraphQLType t2)
    {
        if (ReferenceEquals(t1, t2))
        {
            return false;
        }

        if (t1 is ListType l1)
        {
            return t2 is not ListType l2 || TypesConflict(l1.OfType, l2.OfType);
        }

        if (t2 is ListType)
        {
            return true;
        }

        if (t1 is NonNullType n1)
        {
            return t2 is not NonNullType n2 || TypesConflict(n1.OfType, n2.OfType);
        }

        if (t2 is NonNullType)
        {
            return true;
        }

        return (t1.IsLeaf || t2.IsLeaf) && !ReferenceEquals(t1, t2);
    }

    private Collected CollectFragment(ValidationContext context, FragmentDefinitionNode fragment) =>
        Collect(context, context.Schema.TypeFromAst(fragment.TypeCondition) as NamedType, fragment.SelectionSet);

    private Collected Collect(ValidationContext context, NamedType? parentType, SelectionSetNode set)
    {
        _context = context;
        var key = parentType ?? NoType;
        if (!_collected.TryGetValue(key, out var bySet))
        {
            _collected[key] = bySet = new Dictionary<SelectionSetNode, Collected>(ReferenceEqualityComparer.Instance);
        }

        if (bySet.TryGetValue(set, out var cached))
        {
            return cached;
        }

        var result = new Collected();
        var fragmentNames = new HashSet<string>(StringComparer.Ordinal);
        CollectInto(context, parentType, set, result, fragmentNames);
        bySet[set] = result;
        return result;
    }

    private static void CollectInto(ValidationContext context, NamedType? parentType, SelectionSetNode set, Collected result, HashSet<string> fragmentNames)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case FieldNode f:
                    var definition = parentType is ComplexType c ? c.GetField(f.Name.Value) : null;
                    var name = f.ResponseName;
                    if (!result.Fields.TryGetValue(name, out var list))
                    {
                        result.Fields[name] = list = [];
                        result.FieldOrder.Add(name);
                    }

                    list.Add(new FieldInfo(parentType, f, definition));
                    break;
                case FragmentSpreadNode s:
                    if (fragmentNames.Add(s.Name.Value))
                    {
                        result.FragmentNames.Add(s.Name.Value);
                    }

                    break;
                case InlineFragmentNode i:
                    var type = i.TypeCondition is not null ? context.Schema.TypeFromAst(i.TypeCondition) as NamedType : parentType;
                    CollectInto(context, type, i.SelectionSet, result, fragmentNames);
                    break;
            }
        }
    }
}
