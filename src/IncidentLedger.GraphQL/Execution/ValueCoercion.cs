using System.Collections;
using System.Text.Json;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>
/// Input coercion (spec §3.5 and §6.1.2, §6.4.1): literals and variable values to the CLR values resolvers see.
/// Input objects become <see cref="Dictionary{TKey,TValue}"/> of string to object, lists become <see cref="List{T}"/>.
/// </summary>
public static class ValueCoercion
{
    /// <summary>
    /// Coerces a literal (spec CoerceArgumentValues/valueFromAST). Returns false when the literal is not valid for the type
    /// or refers to a variable that was not provided where a value is required.
    /// </summary>
    public static bool TryCoerceLiteral(ValueNode node, GraphQLType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (node is VariableNode v)
        {
            if (variables is null || !variables.TryGetValue(v.Name.Value, out var variableValue))
            {
                return false;
            }

            if (variableValue is null && type is NonNullType)
            {
                return false;
            }

            value = variableValue;
            return true;
        }

        if (type is NonNullType nn)
        {
            return node is not NullValueNode && TryCoerceLiteral(node, nn.OfType, variables, out value);
        }

        if (node is NullValueNode)
        {
            return true;
        }

        switch (type)
        {
            case ListType list:
            {
                if (node is ListValueNode items)
                {
                    var result = new List<object?>(items.Values.Count);
                    foreach (var item in items.Values)
                    {
                        if (IsMissingVariable(item, variables))
                        {
                            if (list.OfType is NonNullType)
                            {
                                return false;
                            }

                            result.Add(null);
                            continue;
                        }

                        if (!TryCoerceLiteral(item, list.OfType, variables, out var itemValue))
                        {
                            return false;
                        }

                        result.Add(itemValue);
                    }

                    value = result;
                    return true;
                }

                if (!TryCoerceLiteral(node, list.OfType, variables, out var single))
                {
                    return false;
                }

                value = new List<object?> { single };
                return true;
            }

            case InputObjectType inputType:
            {
                if (node is not ObjectValueNode obj)
                {
                    return false;
                }

                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var field in inputType.Fields)
                {
                    ObjectFieldNode? fieldNode = null;
                    foreach (var f in obj.Fields)
                    {
                        if (f.Name.Value == field.Name)
                        {
                            fieldNode = f;
                            break;
                        }
                    }

                    if (fieldNode is null || IsMissingVariable(fieldNode.Value, variables))
                    {
                        if (field.HasDefaultValue)
                        {
                            result[field.Name] = field.DefaultValue;
                        }
                        else if (field.Type is NonNullType)
                        {
                            return false;
                        }

                        continue;
                    }

                    if (!TryCoerceLiteral(fieldNode.Value, field.Type, variables, out var fieldValue))
                    {
                        return false;
                    }

                    result[field.Name] = fieldValue;
                }

                if (inputType.IsOneOf && (result.Count != 1 || result.Values.First() is null))
                {
                    return false;
                }

                value = result;
                return true;
            }

            case EnumType enumType:
            {
                if (node is not EnumValueNode e || enumType.GetValue(e.Value) is not { } enumValue)
                {
                    return false;
                }

                value = enumValue.Value;
                return true;
            }

            case ScalarType scalar:
                try
                {
                    value = scalar.ParseLiteral(node, variables);
                    return true;
                }
                catch (ScalarCoercionException)
                {
                    return false;
                }
                catch (FormatException)
                {
                    return false;
                }
                catch (OverflowException)
                {
                    return false;
                }

            default:
                return false;
        }
    }

    private static bool IsMissingVariable(ValueNode node, IReadOnlyDictionary<string, object?>? variables) =>
        node is VariableNode v && (variables is null || !variables.ContainsKey(v.Name.Value));

    /// <summary>Reports one problem found while coercing an external input value: the path inside the value and the reason.</summary>
    public delegate void CoercionErrorHandler(IReadOnlyList<object> path, object? invalidValue, string message);

    /// <summary>Coerces an external (variable) value, reporting every problem (spec CoerceVariableValues / coerceInputValue).</summary>
    public static object? CoerceInputValue(object? input, GraphQLType type, CoercionErrorHandler onError, List<object>? path = null)
    {
        path ??= [];
        input = JsonValues.Normalize(input);
        if (type is NonNullType nn)
        {
            if (input is not null)
            {
                return CoerceInputValue(input, nn.OfType, onError, path);
            }

            onError(path.ToArray(), input, $"Expected non-nullable type \"{type}\" not to be null.");
            return null;
        }

        if (input is null)
        {
            return null;
        }

        switch (type)
        {
            case ListType list:
                if (input is IList items)
                {
                    var result = new List<object?>(items.Count);
                    for (var i = 0; i < items.Count; i++)
                    {
                        path.Add(i);
                        result.Add(CoerceInputValue(items[i], list.OfType, onError, path));
                        path.RemoveAt(path.Count - 1);
                    }

                    return result;
                }

                return new List<object?> { CoerceInputValue(input, list.OfType, onError, path) };

            case InputObjectType inputType:
            {
                if (input is not IReadOnlyDictionary<string, object?> obj)
                {
                    onError(path.ToArray(), input, $"Expected type \"{inputType.Name}\" to be an object.");
                    return null;
                }

                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var field in inputType.Fields)
                {
                    if (!obj.TryGetValue(field.Name, out var fieldValue))
                    {
                        if (field.HasDefaultValue)
                        {
                            result[field.Name] = field.DefaultValue;
                        }
                        else if (field.Type is NonNullType)
                        {
                            onError(path.ToArray(), input, $"Field \"{field.Name}\" of required type \"{field.Type}\" was not provided.");
                        }

                        continue;
                    }

                    path.Add(field.Name);
                    result[field.Name] = CoerceInputValue(fieldValue, field.Type, onError, path);
                    path.RemoveAt(path.Count - 1);
                }

                foreach (var key in obj.Keys)
                {
                    if (inputType.GetField(key) is null)
                    {
                        onError(path.ToArray(), input, $"Field \"{key}\" is not defined by type \"{inputType.Name}\".");
                    }
                }

                if (inputType.IsOneOf)
                {
                    if (result.Count != 1)
                    {
                        onError(path.ToArray(), input, $"Exactly one key must be specified for OneOf type \"{inputType.Name}\".");
                    }
                    else
                    {
                        var (key, value) = result.First();
                        if (value is null)
                        {
                            path.Add(key);
                            onError(path.ToArray(), value, $"Field \"{key}\" must be non-null.");
                            path.RemoveAt(path.Count - 1);
                        }
                    }
                }

                return result;
            }

            case EnumType enumType:
                if (input is not string name)
                {
                    onError(path.ToArray(), input, $"Enum \"{enumType.Name}\" cannot represent non-string value: {Describe(input)}.");
                    return null;
                }

                if (enumType.GetValue(name) is not { } enumValue)
                {
                    onError(path.ToArray(), input, $"Value \"{name}\" does not exist in \"{enumType.Name}\" enum.");
                    return null;
                }

                return enumValue.Value;

            case ScalarType scalar:
                try
                {
                    return scalar.ParseValue(input);
                }
                catch (Exception ex) when (ex is ScalarCoercionException or FormatException or OverflowException or InvalidCastException)
                {
                    onError(path.ToArray(), input, ex.Message);
                    return null;
                }

            default:
                onError(path.ToArray(), input, $"Expected type \"{type}\".");
                return null;
        }
    }

    internal static string Describe(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object?> d => "{ " + string.Join(", ", d.Select(kv => kv.Key + ": " + Describe(kv.Value))) + " }",
        IList l => "[" + string.Join(", ", l.Cast<object?>().Select(Describe)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Converts an internal (coerced) value back to a literal, for introspection's defaultValue.</summary>
    public static ValueNode? ToLiteral(object? value, GraphQLType type)
    {
        var loc = default(Location);
        if (type is NonNullType nn)
        {
            return value is null ? null : ToLiteral(value, nn.OfType);
        }

        if (value is null)
        {
            return new NullValueNode(loc);
        }

        switch (type)
        {
            case ListType list:
                if (value is IList items)
                {
                    var nodes = new List<ValueNode>();
                    foreach (var item in items)
                    {
                        if (ToLiteral(item, list.OfType) is { } n)
                        {
                            nodes.Add(n);
                        }
                    }

                    return new ListValueNode(loc, nodes);
                }

                return ToLiteral(value, list.OfType);
            case InputObjectType io when value is IReadOnlyDictionary<string, object?> obj:
            {
                var fields = new List<ObjectFieldNode>();
                foreach (var f in io.Fields)
                {
                    if (obj.TryGetValue(f.Name, out var fv) && ToLiteral(fv, f.Type) is { } n)
                    {
                        fields.Add(new ObjectFieldNode(loc, new NameNode(loc, f.Name), n));
                    }
                }

                return new ObjectValueNode(loc, fields);
            }

            case EnumType e:
                return e.FromValue(value) is { } ev ? new EnumValueNode(loc, ev.Name) : null;
            case ScalarType s:
            {
                var serialized = s.Serialize(value);
                return serialized switch
                {
                    bool b => new BooleanValueNode(loc, b),
                    int or long or short or byte => s is IdType
                        ? new IntValueNode(loc, Convert.ToString(serialized, System.Globalization.CultureInfo.InvariantCulture)!)
                        : new IntValueNode(loc, Convert.ToString(serialized, System.Globalization.CultureInfo.InvariantCulture)!),
                    double d when Math.Floor(d) == d && Math.Abs(d) < 1e21 => new IntValueNode(loc, d.ToString("0", System.Globalization.CultureInfo.InvariantCulture)),
                    double d => new FloatValueNode(loc, d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                    decimal m => new FloatValueNode(loc, m.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    string str when s is IdType && long.TryParse(str, out _) => new IntValueNode(loc, str),
                    string str => new StringValueNode(loc, str, false),
                    _ => JsonLiteral(serialized),
                };
            }

            default:
                return null;
        }
    }

    private static ValueNode JsonLiteral(object? value)
    {
        var loc = default(Location);
        value = JsonValues.Normalize(value);
        return value switch
        {
            null => new NullValueNode(loc),
            bool b => new BooleanValueNode(loc, b),
            string s => new StringValueNode(loc, s, false),
            long or int => new IntValueNode(loc, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!),
            double d => new FloatValueNode(loc, d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            IReadOnlyDictionary<string, object?> d => new ObjectValueNode(loc, d.Select(kv => new ObjectFieldNode(loc, new NameNode(loc, kv.Key), JsonLiteral(kv.Value))).ToList()),
            IList l => new ListValueNode(loc, l.Cast<object?>().Select(JsonLiteral).ToList()),
            _ => new StringValueNode(loc, value.ToString() ?? "", false),
        };
    }
}

/// <summary>Turns JSON (JsonElement) into plain CLR values: dictionaries, lists, strings, long/double numbers, booleans, null.</summary>
public static class JsonValues
{
    public static object? Normalize(object? value) => value switch
    {
        JsonElement e => FromElement(e),
        IReadOnlyDictionary<string, object?> => value,
        IDictionary<string, object?> d => new Dictionary<string, object?>(d),
        _ => value,
    };

    public static object? FromElement(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var d = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    d[p.Name] = FromElement(p.Value);
                }

                return d;
            }

            case JsonValueKind.Array:
            {
                var l = new List<object?>(e.GetArrayLength());
                foreach (var item in e.EnumerateArray())
                {
                    l.Add(FromElement(item));
                }

                return l;
            }

            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
                return e.TryGetInt64(out var l64) ? l64 : e.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
