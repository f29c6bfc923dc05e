using IncidentLedger.Domain.Demo;
using IncidentLedger.Domain.ReadModels;

namespace IncidentLedger.Domain.Tests;

/// <summary>The demo data set, built once for the read-model and demo tests.</summary>
public static class DemoLedger
{
    public static readonly DateTimeOffset Origin = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    public static DemoData Data { get; } = DemoDataSet.Build(Origin);

    public static IReadOnlyList<Recorded> Recorded { get; } = Data.Recorded();

    public static LedgerView View { get; } = LedgerView.Fold(Recorded);

    public static Guid Id(string key) => Data.Ids[key];

    public static IncidentView Incident(string key) => View.Incidents[Id(key)];

    public static DateTimeOffset Day(int day, int hour = 0) => Origin.AddDays(day).AddHours(hour);
}
