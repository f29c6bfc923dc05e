using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.5.1.2 Fragment Spread Type Existence and §5.8.2: every named type referenced must exist in the schema.</summary>
public sealed class KnownTypeNamesRule : ValidationRule
{
    private static readonly HashSet<string> StandardNames =
    [
        "String", "Int", "Float", "Boolean", "ID",
        "__Schema", "__Directive", "__DirectiveLocation", "__Type", "__Field", "__InputValue", "__EnumValue", "__TypeKind",
    ];

    private HashSet<string>? _defined;
    private bool _inTypeSystem;

    public static string UnknownType(string name) => $"Unknown type \"{name}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case DocumentNode d:
                _defined = d.Definitions.OfType<TypeDefinitionOrExtensionNode>().Where(t => !t.IsExtension).Select(t => t.Name.Value).ToHashSet(StringComparer.Ordinal);
                break;
            case TypeSystemNode:
                _inTypeSystem = true;
                break;
            case ExecutableDefinitionNode:
                _inTypeSystem = false;
                break;
            case NamedTypeNode n:
                var name = n.Name.Value;
                if (context.Schema.GetType(name) is null && _defined?.Contains(name) != true)
                {
                    if (_inTypeSystem && StandardNames.Contains(name))
                    {
                        break;
                    }

                    context.ReportError(UnknownType(name), n);
                }

                break;
        }

        return true;
    }
}
