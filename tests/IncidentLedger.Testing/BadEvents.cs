using System.Text.Json;
using IncidentLedger.Domain;
using IncidentLedger.Domain.Organisations;
using Npgsql;

namespace IncidentLedger.Testing;

/// <summary>What only someone with the owner's rights could put into mt_events.</summary>
public static class BadEvents
{
    /// <summary>
    /// Appends to the newest organisation stream an event that chains correctly (so the insert
    /// trigger lets it in) but whose data names another organisation; returns its sequence number.
    /// <paramref name="owner"/> connects as the schema's owner with the ledger's schema on its search path.
    /// </summary>
    public static async Task<long> InsertNamingAnotherStreamAsync(NpgsqlDataSource owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var find = owner.CreateCommand("SELECT stream_id FROM mt_events WHERE type LIKE 'organisation.%' ORDER BY seq_id DESC LIMIT 1");
        var stream = (string)(await find.ExecuteScalarAsync())!;
        var data = JsonSerializer.Serialize(new OrganisationRenamed(Guid.NewGuid(), "Elsewhere", "Acme", "test", DateTimeOffset.UtcNow, "someone"), DomainJson.Options);
        await using var insert = owner.CreateCommand("""
            INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers)
            SELECT nextval('mt_events_sequence'), gen_random_uuid(), e.stream_id, e.version + 1, $2::jsonb, 'organisation.renamed', now(), '*DEFAULT*',
                   e.mt_dotnet_type, jsonb_build_object('actor', 'intruder', 'prev', e.headers->>'hash', 'hash', repeat('ab', 32))
            FROM mt_events e WHERE e.stream_id = $1 ORDER BY e.version DESC LIMIT 1
            RETURNING seq_id
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = stream });
        insert.Parameters.Add(new NpgsqlParameter { Value = data });
        return (long)(await insert.ExecuteScalarAsync())!;
    }
}
