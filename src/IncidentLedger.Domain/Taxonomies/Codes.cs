using System.Text.Json;

namespace IncidentLedger.Domain.Taxonomies;

/// <summary>The snake_case codes enum values have in JSON and in the taxonomy data.</summary>
public static class Codes
{
    public static string Of<T>(T value) where T : struct, Enum => Name(value.ToString());

    public static string Of(Enum value) => Name(value.ToString());

    /// <summary>The code of a CLR name: HarmType → harm_type, GpaiSystemicRisk → gpai_systemic_risk.</summary>
    public static string Name(string clrName) => JsonNamingPolicy.SnakeCaseLower.ConvertName(clrName);

    public static IReadOnlyList<string> All(Type enumType) =>
        Enum.GetNames(enumType).Select(Name).ToArray();

    public static bool TryParse<T>(string code, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Of(candidate) == code)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
