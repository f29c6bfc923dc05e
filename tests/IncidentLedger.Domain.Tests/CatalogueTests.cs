using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;

namespace IncidentLedger.Domain.Tests;

public class CatalogueTests
{
    private static readonly (Type Marker, string StreamType)[] EventInterfaces =
    [
        (typeof(IOrganisationEvent), StreamTypes.Organisation),
        (typeof(IAiSystemEvent), StreamTypes.AiSystem),
        (typeof(IIncidentEvent), StreamTypes.Incident),
        (typeof(IPolicyEvent), StreamTypes.Policy),
    ];

    private static IEnumerable<Type> DomainTypes => typeof(DomainEvents).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false });

    [Fact]
    public void Every_event_type_is_in_the_catalogue_under_its_stream_type()
    {
        foreach (var (marker, streamType) in EventInterfaces)
        {
            foreach (var type in DomainTypes.Where(marker.IsAssignableFrom))
            {
                Assert.Equal(streamType, DomainEvents.Describe(type).StreamType);
            }
        }

        Assert.Equal(DomainEvents.All.Count, DomainTypes.Count(t => EventInterfaces.Any(i => i.Marker.IsAssignableFrom(t))));
    }

    [Fact]
    public void Event_names_are_unique_and_stable_in_form()
    {
        Assert.Equal(DomainEvents.All.Count, DomainEvents.All.Select(e => e.Name).Distinct().Count());
        Assert.All(DomainEvents.All, e => Assert.Matches(@"^[a-z-]+\.[a-z_]+$", e.Name));
        Assert.All(DomainEvents.All, e => Assert.StartsWith(e.StreamType + ".", e.Name, StringComparison.Ordinal));
        Assert.All(DomainEvents.All, e => Assert.True(e.SchemaVersion >= 1));
    }

    [Fact]
    public void Events_are_sealed_records()
    {
        Assert.All(DomainEvents.All, e => Assert.True(e.ClrType.IsSealed, $"{e.ClrType.Name} is not sealed"));
        Assert.All(DomainEvents.All, e => Assert.NotNull(e.ClrType.GetMethod("<Clone>$")));
    }

    public static TheoryData<string> EventNames => new(DomainEvents.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Every_event_type_round_trips_through_JSON_without_loss(string name)
    {
        var descriptor = DomainEvents.Find(name)!;
        var sample = Samples.Of(descriptor.ClrType);
        var json = DomainJson.Serialize(sample);
        var back = DomainJson.Deserialize(json, descriptor.ClrType);
        Assert.Equal(json, DomainJson.Serialize(back));
        Assert.Contains("+08:00", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Domain_JSON_uses_camel_case_and_snake_case_enum_strings()
    {
        var json = DomainJson.Serialize(new ReportingClockBreached(F.IncidentId, "eu-ai-act/art73", F.T0, F.T0, null));
        Assert.Contains("\"clockId\":\"eu-ai-act/art73\"", json, StringComparison.Ordinal);
        var tierJson = DomainJson.Serialize(new AiSystemRiskTierChanged(F.SystemId, Domain.Taxonomies.EuRiskTier.GpaiSystemicRisk, Domain.Taxonomies.EuRiskTier.Gpai, "r", F.T0, "s", ActorRole.Regulator));
        Assert.Contains("\"tier\":\"gpai_systemic_risk\"", tierJson, StringComparison.Ordinal);
        Assert.Contains("\"changedByRole\":\"regulator\"", tierJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_numbers_are_not_accepted_in_JSON() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => DomainJson.Deserialize("""{"incidentId":"a0000000-0000-0000-0000-000000000001","reason":"x","reopenedAt":"2026-03-02T09:00:00+00:00","reopenedBy":"s","reopenedByRole":1}""", typeof(IncidentReopened)));

    [Fact]
    public void Every_command_routes_to_the_stream_its_decider_owns()
    {
        var commands = typeof(DomainEvents).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainCommand).IsAssignableFrom(t)).ToArray();
        Assert.True(commands.Length >= 30);
        foreach (var type in commands)
        {
            var (streamType, streamId) = DomainStreams.Target(Samples.Of(type));
            Assert.Contains(streamType, StreamTypes.All);
            Assert.Equal(Guid.Parse("12345678-9abc-def0-1234-56789abcdef0"), streamId);
        }
    }

    [Fact]
    public void The_untyped_stream_decider_decides_and_folds_like_the_typed_one()
    {
        var events = DomainStreams.Execute(F.Report(), []);
        Assert.Equal(Outcome<IIncidentEvent>.Describe(F.Reported()), Outcome<object>.Describe(events));
        var state = DomainStreams.For(StreamTypes.Incident).Fold(events);
        Assert.Equal(IncidentStatus.Open, Assert.IsAssignableFrom<Incident>(state).Status);
    }

    [Fact]
    public void An_unknown_stream_type_is_refused() =>
        Assert.Throws<ArgumentException>(() => DomainStreams.For("invoice"));
}
