using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.1.1 Executable Definitions: a document sent for execution holds only operations and fragments.</summary>
public sealed class ExecutableDefinitionsRule : ValidationRule
{
    public static string NonExecutableDefinition(string name) => $"The {name} definition is not executable.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is not DocumentNode document)
        {
            return true;
        }

        foreach (var definition in document.Definitions)
        {
            if (definition is ExecutableDefinitionNode)
            {
                continue;
            }

            var name = definition switch
            {
                SchemaDefinitionNode or SchemaExtensionNode => "schema",
                TypeDefinitionOrExtensionNode t => $"\"{t.Name.Value}\"",
                DirectiveDefinitionNode d => $"\"{d.Name.Value}\"",
                _ => "unknown",
            };
            context.ReportError(NonExecutableDefinition(name), definition);
        }

        return false;
    }
}
