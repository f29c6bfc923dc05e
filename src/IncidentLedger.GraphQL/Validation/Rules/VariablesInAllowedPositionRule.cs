using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Validation.Rules;

/// <summary>Spec §5.8.5 All Variable Usages Are Allowed: a variable's type fits every position it is used in.</summary>
public sealed class VariablesInAllowedPositionRule : ValidationRule
{
    private Dictionary<string, VariableDefinitionNode> _definitions = new(StringComparer.Ordinal);

    public static string BadVariablePosition(string variable, string variableType, string expected) =>
        $"Variable \"${variable}\" of type \"{variableType}\" used in position expecting type \"{expected}\".";

    public static string NullableVariableInOneOf(string variable, string variableType, string oneOfType) =>
        $"Variable \"${variable}\" is of type \"{variableType}\" but must be non-nullable to be used for OneOf Input Object \"{oneOfType}\".";

    public override bool Enter(SyntaxNode node, ValidationContext context)
    {
        switch (node)
        {
            case OperationDefinitionNode:
                _definitions = new Dictionary<string, VariableDefinitionNode>(StringComparer.Ordinal);
                break;
            case VariableDefinitionNode v:
                _definitions[v.Variable.Name.Value] = v;
                break;
        }

        return true;
    }

    public override void Leave(SyntaxNode node, ValidationContext context)
    {
        if (node is not OperationDefinitionNode operation)
        {
            return;
        }

        foreach (var usage in context.GetRecursiveVariableUsages(operation))
        {
            var name = usage.Node.Name.Value;
            if (!_definitions.TryGetValue(name, out var definition) || usage.Type is null)
            {
                continue;
            }

            var variableType = context.Schema.TypeFromAst(definition.Type);
            if (variableType is not null && !Allowed(context.Schema, variableType, definition.DefaultValue, usage.Type, usage.HasLocationDefault))
            {
                context.ReportError(BadVariablePosition(name, variableType.ToString(), usage.Type.ToString()), definition, usage.Node);
            }

            if (usage.ParentType is InputObjectType { IsOneOf: true } oneOf && variableType is not null && variableType is not NonNullType)
            {
                context.ReportError(NullableVariableInOneOf(name, variableType.ToString(), oneOf.Name), definition, usage.Node);
            }
        }
    }

    private static bool Allowed(Schema schema, GraphQLType variableType, ValueNode? variableDefault, GraphQLType locationType, bool locationHasDefault)
    {
        if (locationType is NonNullType nonNull && variableType is not NonNullType)
        {
            var hasNonNullVariableDefault = variableDefault is not null and not NullValueNode;
            if (!hasNonNullVariableDefault && !locationHasDefault)
            {
                return false;
            }

            return IsSubType(schema, variableType, nonNull.OfType);
        }

        return IsSubType(schema, variableType, locationType);
    }

    internal static bool IsSubType(Schema schema, GraphQLType maybeSub, GraphQLType super)
    {
        if (ReferenceEquals(maybeSub, super))
        {
            return true;
        }

        if (super is NonNullType sn)
        {
            return maybeSub is NonNullType mn && IsSubType(schema, mn.OfType, sn.OfType);
        }

        if (maybeSub is NonNullType m)
        {
            return IsSubType(schema, m.OfType, super);
        }

        if (super is ListType sl)
        {
            return maybeSub is ListType ml && IsSubType(schema, ml.OfType, sl.OfType);
        }

        if (maybeSub is ListType)
        {
            return false;
        }

        return super.IsAbstract && maybeSub is InterfaceType or ObjectType && schema.IsSubType((NamedType)super, (NamedType)maybeSub);
    }
}
