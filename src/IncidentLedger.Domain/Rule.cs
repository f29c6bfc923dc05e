using System.Globalization;
using System.Runtime.CompilerServices;

namespace IncidentLedger.Domain;

/// <summary>Small guards that turn a broken rule into a <see cref="RuleViolation"/>.</summary>
internal static class Rule
{
    public static void Require(bool holds, string code, string message)
    {
        if (!holds)
        {
            throw new RuleViolation(code, message);
        }
    }

    /// <summary>As <see cref="Require(bool, string, string)"/>, with a message that is composed only when the rule is broken.</summary>
    public static void Require(bool holds, string code, [InterpolatedStringHandlerArgument(nameof(holds))] ref RuleMessage message)
    {
        if (!holds)
        {
            throw new RuleViolation(code, message.ToStringAndClear());
        }
    }

    public static RuleViolation Broken(string code, string message) => new(code, message);

    /// <summary>A required piece of text: trimmed, non-empty, at most <paramref name="maxLength"/> characters.</summary>
    public static string Text(string? value, string code, string what, int maxLength = 20_000)
    {
        var trimmed = value?.Trim();
        Require(!string.IsNullOrEmpty(trimmed), code, $"{what} is required and was empty.");
        Require(trimmed!.Length <= maxLength, code, $"{what} is {trimmed.Length} characters long; at most {maxLength} are allowed.");
        return trimmed;
    }

    /// <summary>Optional text: trimmed, null when empty.</summary>
    public static string? OptionalText(string? value, string code, string what, int maxLength = 20_000)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        Require(trimmed.Length <= maxLength, code, $"{what} is {trimmed.Length} characters long; at most {maxLength} are allowed.");
        return trimmed;
    }

    public static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>Elements sorted and without duplicates, so equal sets record equally.</summary>
    public static IReadOnlyList<T> SortedSet<T>(IEnumerable<T>? values) where T : struct, Enum =>
        (values ?? []).Distinct().Order().ToArray();

    public static bool SameSet<T>(IEnumerable<T> left, IEnumerable<T> right) =>
        left.ToHashSet().SetEquals(right);

    public static bool SameSequence<T>(IEnumerable<T>? left, IEnumerable<T>? right) =>
        (left ?? []).SequenceEqual(right ?? []);
}

/// <summary>The message of a rule, composed only when the rule is broken: a rule that holds formats nothing.</summary>
[InterpolatedStringHandler]
internal ref struct RuleMessage
{
    private DefaultInterpolatedStringHandler text;

    public RuleMessage(int literalLength, int formattedCount, bool holds, out bool compose)
    {
        compose = !holds;
        text = compose ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => text.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => text.AppendFormatted(value, alignment);

    public void AppendFormatted<T>(T value, int alignment, string? format) => text.AppendFormatted(value, alignment, format);

    public void AppendFormatted(string? value) => text.AppendFormatted(value);

    public string ToStringAndClear() => text.ToStringAndClear();
}
