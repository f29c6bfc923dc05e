using IncidentLedger.GraphQL.Language;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Optional server rule (not in spec §5): for callers not allowed to introspect, __schema and __type are rejected (__typename stays allowed).</summary>
public sealed class NoIntrospectionRule : ValidationRule
{
    public static string IntrospectionDisabled(string field) => $"Introspection is not allowed for this caller; the field \"{field}\" cannot be queried.";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        if (node is FieldNode { Name.Value: "__schema" or "__type" } field)
        {
            context.ReportError(IntrospectionDisabled(field.Name.Value), field);
            return false;
        }

        return true;
    }
}
