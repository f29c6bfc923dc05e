using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>The field nodes sharing one response name in a selection set, with the field they select.</summary>
internal sealed class FieldGroup(string responseName, FieldDefinition? definition)
{
    public string ResponseName { get; } = responseName;

    public FieldDefinition? Definition { get; } = definition;

    public List<FieldNode> Nodes { get; } = new(1);

    /// <summary>Coerced arguments, computed once per request (they do not depend on the parent value).</summary>
    public IReadOnlyDictionary<string, object?>? Arguments { get; set; }

    public GraphQLError? ArgumentError { get; set; }
}

/// <summary>
/// CollectFields (spec §6.3.2): groups a selection set's fields by response name, applying @skip/@include and
/// fragment type conditions. Results are cached per request for each (object type, selection).
/// </summary>
internal sealed class FieldCollector(RequestContext request)
{
    private readonly Dictionary<(ObjectType, object), FieldGroup[]> _cache = [];

    public FieldGroup[] CollectRoot(ObjectType type, SelectionSetNode selectionSet)
    {
        lock (_cache)
        {
            if (_cache.TryGetValue((type, selectionSet), out var cached))
            {
                return cached;
            }
        }

        var map = new Dictionary<string, FieldGroup>(StringComparer.Ordinal);
        var order = new List<FieldGroup>();
        CollectInto(type, selectionSet, map, order, new HashSet<string>(StringComparer.Ordinal));
        var result = order.ToArray();
        lock (_cache)
        {
            _cache[(type, selectionSet)] = result;
        }

        return result;
    }

    public FieldGroup[] Collect(ObjectType type, FieldGroup parent)
    {
        lock (_cache)
        {
            if (_cache.TryGetValue((type, parent), out var cached))
            {
                return cached;
            }
        }

        var map = new Dictionary<string, FieldGroup>(StringComparer.Ordinal);
        var order = new List<FieldGroup>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in parent.Nodes)
        {
            if (node.SelectionSet is not null)
            {
                CollectInto(type, node.SelectionSet, map, order, visited);
            }
        }

        var result = order.ToArray();
        lock (_cache)
        {
            _cache[(type, parent)] = result;
        }

        return result;
    }

    private void CollectInto(ObjectType type, SelectionSetNode set, Dictionary<string, FieldGroup> map, List<FieldGroup> order, HashSet<string> visited)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case FieldNode field:
                    if (!ShouldInclude(field.Directives))
                    {
                        continue;
                    }

                    var name = field.ResponseName;
                    if (!map.TryGetValue(name, out var group))
                    {
                        group = new FieldGroup(name, request.Schema.GetFieldDefinition(type, field.Name.Value));
                        map[name] = group;
                        order.Add(group);
                    }

                    group.Nodes.Add(field);
                    break;
                case InlineFragmentNode inline:
                    if (!ShouldInclude(inline.Directives) || !Matches(inline.TypeCondition, type))
                    {
                        continue;
                    }

                    CollectInto(type, inline.SelectionSet, map, order, visited);
                    break;
                case FragmentSpreadNode spread:
                    var fragmentName = spread.Name.Value;
                    if (visited.Contains(fragmentName) || !ShouldInclude(spread.Directives))
                    {
                        continue;
                    }

                    visited.Add(fragmentName);
                    if (!request.Fragments.TryGetValue(fragmentName, out var fragment) || !Matches(fragment.TypeCondition, type))
                    {
                        continue;
                    }

                    CollectInto(type, fragment.SelectionSet, map, order, visited);
                    break;
            }
        }
    }

    private bool Matches(NamedTypeNode? condition, ObjectType type)
    {
        if (condition is null)
        {
            return true;
        }

        var conditionType = request.Schema.GetType(condition.Name.Value);
        if (ReferenceEquals(conditionType, type))
        {
            return true;
        }

        return conditionType is InterfaceType or UnionType && request.Schema.IsSubType(conditionType, type);
    }

    /// <summary>@skip(if: true) excludes; @include(if: false) excludes (spec §3.13.1–2).</summary>
    private bool ShouldInclude(IReadOnlyList<DirectiveNode> directives)
    {
        if (directives.Count == 0)
        {
            return true;
        }

        foreach (var d in directives)
        {
            var name = d.Name.Value;
            if (name is not ("skip" or "include"))
            {
                continue;
            }

            var value = false;
            foreach (var a in d.Arguments)
            {
                if (a.Name.Value != "if")
                {
                    continue;
                }

                value = a.Value switch
                {
                    BooleanValueNode b => b.Value,
                    VariableNode v => request.Variables.TryGetValue(v.Name.Value, out var x) && x is true,
                    _ => false,
                };
            }

            if (name == "skip" && value)
            {
                return false;
            }

            if (name == "include" && !value)
            {
                return false;
            }
        }

        return true;
    }
}
