using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.2.2.1 Lone Anonymous Operation: an anonymous operation must be the only operation.</summary>
public sealed class LoneAnonymousOperationRule : ValidationRule
{
    private int _operationCount;

    public static string AnonymousOperationNotAlone() => "This anonymous operation must be the only defined operation.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case DocumentNode d:
                _operationCount = d.Definitions.Count(x => x is OperationDefinitionNode);
                return true;
            case OperationDefinitionNode o:
                if (o.Name is null && _operationCount > 1)
                {
                    context.ReportError(AnonymousOperationNotAlone(), o);
                }

                return true;
            default:
                return true;
        }
    }
}
