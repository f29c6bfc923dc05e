using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>Writes a response as JSON in spec order: errors (when any), data, extensions.</summary>
public sealed class ExecutionResultJsonConverter : JsonConverter<ExecutionResult>
{
    public override ExecutionResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Responses are written, not read.");

    public override void Write(Utf8JsonWriter writer, ExecutionResult value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Errors is { } errors)
        {
            writer.WritePropertyName("errors");
            JsonSerializer.Serialize(writer, errors, options);
        }

        if (value.HasData)
        {
            writer.WritePropertyName("data");
            WriteValue(writer, value.Data, options);
        }

        if (value.Extensions is { } extensions)
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, extensions, options);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a completed value: result maps, lists and serialized scalars.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case ResultMap map:
                writer.WriteStartObject();
                for (var i = 0; i < map.Count; i++)
                {
                    writer.WritePropertyName(map.KeyAt(i));
                    WriteValue(writer, map.ValueAt(i), options);
                }

                writer.WriteEndObject();
                return;
            case object?[] array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteValue(writer, item, options);
                }

                writer.WriteEndArray();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case double d:
                writer.WriteNumberValue(d);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case JsonElement e:
                e.WriteTo(writer);
                return;
            case IReadOnlyDictionary<string, object?> dict:
                writer.WriteStartObject();
                foreach (var (k, v) in dict)
                {
                    writer.WritePropertyName(k);
                    WriteValue(writer, v, options);
                }

                writer.WriteEndObject();
                return;
            case IDictionary<string, object?> dict2:
                writer.WriteStartObject();
                foreach (var (k, v) in dict2)
                {
                    writer.WritePropertyName(k);
                    WriteValue(writer, v, options);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable list when value is not string:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item, options);
                }

                writer.WriteEndArray();
                return;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                return;
        }
    }
}
