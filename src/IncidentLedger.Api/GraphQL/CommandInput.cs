using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IncidentLedger.Domain;
using IncidentLedger.GraphQL.Types;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// Builds a domain command from a mutation's input: every input field is read into the command's constructor
/// parameter of the same (camelCase) name through the domain's JSON options, and the actor and time come from
/// the caller and the clock, never from the input. A value the domain's types refuse (a currency that is not
/// ISO 4217, a negative amount) is reported against the input field that carried it.
/// </summary>
public static class CommandInput
{
    public static object Build(Type commandType, IReadOnlyDictionary<string, object?> input, Actor actor, DateTimeOffset now)
    {
        var shape = Shapes.GetOrAdd(commandType, Shape.Of);
        var values = new object?[shape.Parameters.Length];
        JsonElement? json = null; // the whole input as JSON, written once if a field needs it
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = shape.Parameters[i];
            values[i] = parameter.Name switch
            {
                nameof(IDomainCommand.Actor) => actor,
                nameof(IDomainCommand.Now) => now,
                _ => Read(parameter, shape.FieldNames[i], input, ref json),
            };
        }

        return shape.Constructor.Invoke(values);
    }

    /// <summary>A command's constructor, its parameters and their input field names, found once per command type.</summary>
    private sealed record Shape(ConstructorInfo Constructor, ParameterInfo[] Parameters, string[] FieldNames)
    {
        public static Shape Of(Type commandType)
        {
            var constructor = ConstructorOf(commandType);
            var parameters = constructor.GetParameters();
            return new Shape(constructor, parameters, [.. parameters.Select(p => FieldName(p.Name!))]);
        }
    }

    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    /// <summary>
    /// The mutation input that carries <paramref name="command"/> (its mutation is the command's name in camelCase): the
    /// command's members as the served schema's input type defines them, enums by their GraphQL names, without the actor
    /// and time. <see cref="Build"/> of it, with the same actor and time, gives the command back.
    /// </summary>
    public static JsonObject ToInput(object command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var input = JsonSerializer.SerializeToNode(command, command.GetType(), GraphQLJson)!.AsObject();
        KeepDefined(input, (InputObjectType)(Served.Value.GetType(command.GetType().Name + "Input")
            ?? throw new ArgumentException($"{command.GetType().Name} has no mutation input in the served schema.", nameof(command))));
        return input;
    }

    // GraphQL's enum values are the domain's names in upper snake case.
    private static readonly JsonSerializerOptions GraphQLJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    private static readonly Lazy<Schema> Served = new(LogGraph.BuildSchema);

    // Drops what the input type does not define: the actor and time, and members the domain derives (such as a classification's EU seriousness).
    private static void KeepDefined(JsonObject value, InputObjectType type)
    {
        foreach (var name in value.Select(p => p.Key).ToArray())
        {
            if (type.Fields.FirstOrDefault(f => f.Name == name) is not { } field)
            {
                value.Remove(name);
                continue;
            }

            var inner = field.Type;
            while (inner is NonNullType or ListType)
            {
                inner = inner is NonNullType required ? required.OfType : ((ListType)inner).OfType;
            }

            if (inner is InputObjectType nested)
            {
                foreach (var item in value[name] is JsonArray items ? [.. items.OfType<JsonObject>()] : value[name] is JsonObject one ? [one] : Array.Empty<JsonObject>())
                {
                    KeepDefined(item, nested);
                }
            }
        }
    }

    /// <summary>The input field name of a command's constructor parameter.</summary>
    public static string FieldName(string parameterName) => JsonNamingPolicy.CamelCase.ConvertName(parameterName);

    /// <summary>The constructor parameters a command takes from its input (all but the actor and time).</summary>
    public static IEnumerable<ParameterInfo> InputParameters(Type commandType) =>
        ConstructorOf(commandType).GetParameters().Where(p => p.Name is not (nameof(IDomainCommand.Actor) or nameof(IDomainCommand.Now)));

    private static ConstructorInfo ConstructorOf(Type commandType) =>
        commandType.GetConstructors().MaxBy(c => c.GetParameters().Length)
        ?? throw new InvalidOperationException($"{commandType.Name} has no public constructor.");

    private static object? Read(ParameterInfo parameter, string name, IReadOnlyDictionary<string, object?> input, ref JsonElement? json)
    {
        if (!input.TryGetValue(name, out var value) || value is null)
        {
            return parameter.HasDefaultValue ? parameter.DefaultValue : null;
        }

        // Text read into text is itself: no need to go through JSON.
        if (value is string text && parameter.ParameterType == typeof(string))
        {
            return text;
        }

        try
        {
            json ??= JsonSerializer.SerializeToElement(input, DomainJson.Options);
            return json.Value.GetProperty(name).Deserialize(parameter.ParameterType, DomainJson.Options);
        }
        catch (JsonException e)
        {
            throw new CommandInputException($"input.{name}{PathBelow(e.Path)}", "input.malformed", e.Message);
        }
        catch (RuleViolation e)
        {
            throw new CommandInputException($"input.{name}", e.Code, e.Message);
        }
    }

    // A JSON path below the field ("$.currency", "$[1].providerId") as a GraphQL input path.
    private static string PathBelow(string? path) => path is null or "$" ? "" : path.StartsWith("$[", StringComparison.Ordinal) ? path[1..] : "." + path[2..];
}

/// <summary>A value of a mutation's input the domain's types refuse, named by its path.</summary>
#pragma warning disable CA1032 // Always carries the field, code and message.
internal sealed class CommandInputException(string field, string code, string message) : Exception(message)
#pragma warning restore CA1032
{
    public string Field { get; } = field;

    public string Code { get; } = code;
}
