using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>CoerceArgumentValues (spec §6.4.1).</summary>
internal static class ArgumentCoercion
{
    public static Dictionary<string, object?> Coerce(IReadOnlyList<InputValueDefinition> definitions, IReadOnlyList<ArgumentNode> nodes, IReadOnlyDictionary<string, object?> variables)
    {
        var result = new Dictionary<string, object?>(definitions.Count, StringComparer.Ordinal);
        foreach (var def in definitions)
        {
            ArgumentNode? node = null;
            foreach (var n in nodes)
            {
                if (n.Name.Value == def.Name)
                {
                    node = n;
                    break;
                }
            }

            if (node is null)
            {
                if (def.HasDefaultValue)
                {
                    result[def.Name] = def.DefaultValue;
                }
                else if (def.Type is NonNullType)
                {
                    throw new FieldErrorException(new GraphQLError($"Argument \"{def.Name}\" of required type \"{def.Type}\" was not provided.", code: ErrorCodes.BadUserInput));
                }

                continue;
            }

            var valueNode = node.Value;
            var isNull = valueNode is NullValueNode;
            if (valueNode is VariableNode variable)
            {
                if (!variables.TryGetValue(variable.Name.Value, out var variableValue))
                {
                    if (def.HasDefaultValue)
                    {
                        result[def.Name] = def.DefaultValue;
                    }
                    else if (def.Type is NonNullType)
                    {
                        throw new FieldErrorException(new GraphQLError(
                            $"Argument \"{def.Name}\" of required type \"{def.Type}\" was provided the variable \"${variable.Name.Value}\" which was not provided a runtime value.",
                            [valueNode.Location.ToSourceLocation()], code: ErrorCodes.BadUserInput));
                    }

                    continue;
                }

                isNull = variableValue is null;
            }

            if (isNull && def.Type is NonNullType)
            {
                throw new FieldErrorException(new GraphQLError($"Argument \"{def.Name}\" of non-null type \"{def.Type}\" must not be null.", [valueNode.Location.ToSourceLocation()], code: ErrorCodes.BadUserInput));
            }

            if (!ValueCoercion.TryCoerceLiteral(valueNode, def.Type, variables, out var value))
            {
                throw new FieldErrorException(new GraphQLError($"Argument \"{def.Name}\" has invalid value {Printer.Print(valueNode)}.", [valueNode.Location.ToSourceLocation()], code: ErrorCodes.BadUserInput));
            }

            result[def.Name] = value;
        }

        return result;
    }
}

/// <summary>CoerceVariableValues (spec §6.1.2): every problem is reported, each at its variable definition.</summary>
internal static class VariableCoercion
{
    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    public static IReadOnlyDictionary<string, object?> Coerce(Schema schema, OperationDefinitionNode operation, IReadOnlyDictionary<string, object?>? inputs, out List<GraphQLError> errors)
    {
        errors = [];
        if (operation.VariableDefinitions.Count == 0)
        {
            return Empty;
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var def in operation.VariableDefinitions)
        {
            var name = def.Variable.Name.Value;
            var location = new[] { def.Location.ToSourceLocation() };
            var type = schema.TypeFromAst(def.Type);
            if (type is null || !type.IsInputType)
            {
                errors.Add(new GraphQLError($"Variable \"${name}\" expected value of type \"{Printer.Print(def.Type)}\" which cannot be used as an input type.", location, code: ErrorCodes.BadUserInput));
                continue;
            }

            if (inputs is null || !inputs.TryGetValue(name, out var raw))
            {
                if (def.DefaultValue is not null)
                {
                    if (ValueCoercion.TryCoerceLiteral(def.DefaultValue, type, null, out var defaultValue))
                    {
                        result[name] = defaultValue;
                    }
                }
                else if (type is NonNullType)
                {
                    errors.Add(new GraphQLError($"Variable \"${name}\" of required type \"{type}\" was not provided.", location, code: ErrorCodes.BadUserInput));
                }

                continue;
            }

            raw = JsonValues.Normalize(raw);
            if (raw is null && type is NonNullType)
            {
                errors.Add(new GraphQLError($"Variable \"${name}\" of non-null type \"{type}\" must not be null.", location, code: ErrorCodes.BadUserInput));
                continue;
            }

            var errorList = errors;
            result[name] = ValueCoercion.CoerceInputValue(raw, type, (path, invalid, message) =>
            {
                var at = path.Count > 0 ? $" at \"{name}{string.Concat(path.Select(p => p is int i ? $"[{i}]" : "." + p))}\"" : "";
                errorList.Add(new GraphQLError($"Variable \"${name}\" got invalid value {ValueCoercion.Describe(invalid)}{at}; {message}", location, code: ErrorCodes.BadUserInput));
            });
        }

        return result;
    }
}
