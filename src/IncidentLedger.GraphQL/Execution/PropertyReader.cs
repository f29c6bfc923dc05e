using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>
/// The default resolver: reads a field from its parent by name — a dictionary key, a JSON property or a
/// CLR property (case-insensitive). Accessors are compiled once per CLR type and field.
/// </summary>
internal sealed class PropertyReader(string fieldName)
{
    private static readonly ConcurrentDictionary<(Type, string), Func<object, object?>?> Accessors = new();

    private Last? _last;

    public string FieldName { get; } = fieldName;

    public object? Read(object? parent)
    {
        switch (parent)
        {
            case null:
                return null;
            case Dictionary<string, object?> d:
                return d.TryGetValue(FieldName, out var dv) ? dv : null;
            case IReadOnlyDictionary<string, object?> rd:
                return rd.TryGetValue(FieldName, out var rv) ? rv : null;
            case IDictionary<string, object?> md:
                return md.TryGetValue(FieldName, out var mv) ? mv : null;
            case JsonElement { ValueKind: JsonValueKind.Object } e:
                return e.TryGetProperty(FieldName, out var p) ? JsonValues.FromElement(p) : null;
        }

        var type = parent.GetType();
        var last = _last;
        if (last is not null && ReferenceEquals(last.Type, type))
        {
            return last.Accessor(parent);
        }

        var accessor = Accessors.GetOrAdd((type, FieldName), static key => Compile(key.Item1, key.Item2));
        if (accessor is null)
        {
            return null;
        }

        _last = new Last(type, accessor);
        return accessor(parent);
    }

    private sealed record Last(Type Type, Func<object, object?> Accessor);

    private static Func<object, object?>? Compile(Type type, string name)
    {
        var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property?.GetMethod is null || property.GetIndexParameters().Length > 0)
        {
            return null;
        }

        var parameter = Expression.Parameter(typeof(object), "parent");
        var body = Expression.Convert(Expression.Property(Expression.Convert(parameter, type), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, parameter).Compile();
    }
}
