namespace IncidentLedger.Domain;

/// <summary>The four stream types, by their stable names. Stream ids are Guids.</summary>
public static class StreamTypes
{
    public const string Organisation = "organisation";
    public const string AiSystem = "ai-system";
    public const string Incident = "incident";
    public const string Policy = "policy";

    public static IReadOnlyList<string> All { get; } = [Organisation, AiSystem, Incident, Policy];
}
