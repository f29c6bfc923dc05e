using System.Text.Json.Nodes;
using IncidentLedger.EventStore.Events;

[assembly: AssemblyFixture(typeof(IncidentLedger.Testing.TestPostgresLifetime))]

namespace IncidentLedger.EventStore.Tests;

public sealed record IncidentFiled(string Title, int PeopleAffected);

public sealed record NoteAdded(string Text);

/// <summary>Schema version 2: version 1 stored a single "name"; version 2 splits it.</summary>
public sealed record PartyNamed(string GivenName, string FamilyName);

public sealed record NotRegistered(string Whatever);

public static class TestEvents
{
    public static EventTypeRegistry Registry() => new EventTypeRegistry()
        .Register<IncidentFiled>()
        .Register<NoteAdded>()
        .Register<PartyNamed>(schemaVersion: 2)
        .Upcast(nameof(PartyNamed), 1, v1 =>
        {
            var parts = v1["name"]!.GetValue<string>().Split(' ', 2);
            return new JsonObject { ["givenName"] = parts[0], ["familyName"] = parts.Length > 1 ? parts[1] : "" };
        });

    public static EventMetadata By(string actor = "operator-1") => new(actor) { Organisation = "org-1", Role = "operator" };
}
