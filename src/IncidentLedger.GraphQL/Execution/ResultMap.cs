using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace IncidentLedger.GraphQL.Execution;

/// <summary>An ordered response object: keys in selection order, as the spec requires for serialization.</summary>
public sealed class ResultMap : IReadOnlyDictionary<string, object?>
{
    private readonly string[] _keys;
    private readonly object?[] _values;

    internal ResultMap(int capacity)
    {
        _keys = new string[capacity];
        _values = new object?[capacity];
    }

    public int Count { get; private set; }

    internal void Add(string key, object? value)
    {
        _keys[Count] = key;
        _values[Count] = value;
        Count++;
    }

    internal void Set(int index, string key, object? value)
    {
        _keys[index] = key;
        _values[index] = value;
        if (index >= Count)
        {
            Count = index + 1;
        }
    }

    internal string KeyAt(int index) => _keys[index];

    internal object? ValueAt(int index) => _values[index];

    public object? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _keys.Take(Count);

    public IEnumerable<object?> Values => _values.Take(Count);

    public bool ContainsKey(string key) => Array.IndexOf(_keys, key, 0, Count) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var i = Array.IndexOf(_keys, key, 0, Count);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new KeyValuePair<string, object?>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
