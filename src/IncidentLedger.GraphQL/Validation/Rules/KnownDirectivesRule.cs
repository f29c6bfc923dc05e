using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.7.1 Directives Are Defined and §5.7.2 Directives Are In Valid Locations.</summary>
public sealed class KnownDirectivesRule : ValidationRule
{
    private readonly List<SyntaxNode> _ancestors = [];
    private Dictionary<string, IReadOnlyList<string>>? _locations;

    public static string UnknownDirective(string name) => $"Unknown directive \"@{name}\".";

    public static string MisplacedDirective(string name, string location) => $"Directive \"@{name}\" may not be used on {location}.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (_locations is null)
        {
            _locations = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var d in context.Schema.Directives)
            {
                _locations[d.Name] = d.Locations.Select(DirectiveDefinition.LocationName).ToList();
            }

            foreach (var d in context.Document.Definitions.OfType<DirectiveDefinitionNode>())
            {
                _locations[d.Name.Value] = d.Locations.Select(l => l.Value).ToList();
            }
        }

        if (node is DirectiveNode directive)
        {
            var name = directive.Name.Value;
            if (!_locations.TryGetValue(name, out var allowed))
            {
                context.ReportError(UnknownDirective(name), directive);
            }
            else if (LocationOf() is { } location && !allowed.Contains(location))
            {
                context.ReportError(MisplacedDirective(name, location), directive);
            }
        }

        _ancestors.Add(node);
        return true;
    }

    public override void Leave(SyntaxNode node, ValidationContext context) => _ancestors.RemoveAt(_ancestors.Count - 1);

    private string? LocationOf()
    {
        var owner = _ancestors[^1];
        return owner switch
        {
            OperationDefinitionNode o => o.Operation switch
            {
                OperationType.Query => "QUERY",
                OperationType.Mutation => "MUTATION",
                _ => "SUBSCRIPTION",
            },
            FieldNode => "FIELD",
            FragmentSpreadNode => "FRAGMENT_SPREAD",
            InlineFragmentNode => "INLINE_FRAGMENT",
            FragmentDefinitionNode => "FRAGMENT_DEFINITION",
            VariableDefinitionNode => "VARIABLE_DEFINITION",
            SchemaDefinitionNode or SchemaExtensionNode => "SCHEMA",
            ScalarTypeDefinitionNode => "SCALAR",
            ObjectTypeDefinitionNode => "OBJECT",
            FieldDefinitionNode => "FIELD_DEFINITION",
            InterfaceTypeDefinitionNode => "INTERFACE",
            UnionTypeDefinitionNode => "UNION",
            EnumTypeDefinitionNode => "ENUM",
            EnumValueDefinitionNode => "ENUM_VALUE",
            InputObjectTypeDefinitionNode => "INPUT_OBJECT",
            InputValueDefinitionNode => _ancestors.Count > 1 && _ancestors[^2] is InputObjectTypeDefinitionNode ? "INPUT_FIELD_DEFINITION" : "ARGUMENT_DEFINITION",
            _ => null,
        };
    }
}
