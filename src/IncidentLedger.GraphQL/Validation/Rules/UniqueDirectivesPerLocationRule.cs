using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.7.3 Directives Are Unique Per Location: a non-repeatable directive appears at most once where it is used.</summary>
public sealed class UniqueDirectivesPerLocationRule : ValidationRule
{
    private Dictionary<string, bool>? _unique;
    private readonly Dictionary<string, DirectiveNode> _schemaSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DirectiveNode>> _typeSeen = new(StringComparer.Ordinal);

    public static string DuplicateDirective(string name) => $"The directive \"@{name}\" can only be used once at this location.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (_unique is null)
        {
            _unique = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var d in context.Schema.Directives)
            {
                _unique[d.Name] = !d.IsRepeatable;
            }

            foreach (var d in context.Document.Definitions.OfType<DirectiveDefinitionNode>())
            {
                _unique[d.Name.Value] = !d.Repeatable;
            }
        }

        var directives = node switch
        {
            OperationDefinitionNode o => o.Directives,
            VariableDefinitionNode v => v.Directives,
            SelectionNode s => s.Directives,
            FragmentDefinitionNode f => f.Directives,
            SchemaDefinitionNode s => s.Directives,
            SchemaExtensionNode s => s.Directives,
            TypeDefinitionOrExtensionNode t => t.Directives,
            FieldDefinitionNode f => f.Directives,
            InputValueDefinitionNode i => i.Directives,
            EnumValueDefinitionNode e => e.Directives,
            _ => null,
        };
        if (directives is null)
        {
            return true;
        }

        Dictionary<string, DirectiveNode> seen;
        if (node is SchemaDefinitionNode or SchemaExtensionNode)
        {
            seen = _schemaSeen;
        }
        else if (node is TypeDefinitionOrExtensionNode t)
        {
            if (!_typeSeen.TryGetValue(t.Name.Value, out seen!))
            {
                _typeSeen[t.Name.Value] = seen = new Dictionary<string, DirectiveNode>(StringComparer.Ordinal);
            }
        }
        else
        {
            seen = new Dictionary<string, DirectiveNode>(StringComparer.Ordinal);
        }

        foreach (var d in directives)
        {
            var name = d.Name.Value;
            if (_unique.TryGetValue(name, out var unique) && unique)
            {
                if (seen.TryGetValue(name, out var first))
                {
                    context.ReportError(DuplicateDirective(name), first, d);
                }
                else
                {
                    seen[name] = d;
                }
            }
        }

        return true;
    }
}
