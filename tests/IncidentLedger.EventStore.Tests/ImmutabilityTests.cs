using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Integrity.Envelopes;
using IncidentLedger.Testing;
using Npgsql;

namespace IncidentLedger.EventStore.Tests;

/// <summary>mt_events is insert-only and chained: no role changes an event unnoticed, no writer forks a stream.</summary>
public sealed class ImmutabilityTests : IAsyncLifetime
{
    private readonly LedgerDatabase db = new();
    private Guid stream;

    public async ValueTask InitializeAsync()
    {
        await db.InitializeAsync();
        stream = Guid.NewGuid();
        await db.RunAsync(Organisations.Register(stream));
        for (var i = 0; i < 4; i++)
        {
            await db.RunAsync(Organisations.Rename(stream, $"Name {i}"));
        }
    }

    public ValueTask DisposeAsync() => db.DisposeAsync();

    private async Task<ChainVerification> VerifyAsync() =>
        StreamVerifier.Verify(stream, (await db.Export.StreamAsync(stream)).Select(e => new SealedEnvelope(e.EnvelopeIn(LedgerDatabase.Origin), e.Hash)));

    private async Task ExecuteAsAppAsync(string sql)
    {
        await using var command = db.App.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Theory]
    [InlineData("UPDATE mt_events SET data = '{}'")]
    [InlineData("DELETE FROM mt_events")]
    [InlineData("TRUNCATE mt_events")]
    [InlineData("TRUNCATE mt_streams")]
    [InlineData("TRUNCATE ledger_unsealed")]
    [InlineData("TRUNCATE ledger_entries")]
    public async Task The_application_role_holds_no_grant_to_change_or_remove_events(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAppAsync(sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("permission denied", error.MessageText, StringComparison.Ordinal);
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData("UPDATE mt_events SET data = '{}'", "UPDATE")]
    [InlineData("DELETE FROM mt_events", "DELETE")]
    [InlineData("TRUNCATE mt_events", "TRUNCATE")]
    public async Task Even_the_owner_is_stopped_by_the_insert_only_trigger(string sql, string operation)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsOwnerAsync(sql));
        Assert.Contains($"mt_events is insert-only: {operation} is not allowed", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_insert_whose_prev_is_not_its_streams_last_hash_is_refused()
    {
        var stale = (await db.Export.StreamAsync(stream))[1];
        await using var session = db.Store.LightweightSession();
        var fork = ChainedEvents.Build(session.Events.BuildEvent, LedgerDatabase.Origin, stream, "organisation", 5, stale.Hash.ToString(),
            [new Domain.Organisations.OrganisationRenamed(stream, "Fork", "Name 3", "test", DateTimeOffset.UtcNow, "admin@test")], new EventMetadata("admin@test"), DateTimeOffset.UtcNow);
        session.Events.Append(stream.ToString("D"), fork.ToArray<object>());
        var error = await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        Assert.Contains("does not extend its stream", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(5, (await db.Export.StreamAsync(stream)).Count);
    }

    [Fact]
    public async Task An_event_without_a_hash_is_refused()
    {
        await using var session = db.Store.LightweightSession();
        session.Events.StartStream(Guid.NewGuid().ToString("D"), new Domain.Organisations.OrganisationRenamed(stream, "Unhashed", "x", "test", DateTimeOffset.UtcNow, "admin@test"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        Assert.Contains("carries no event hash", error.ToString(), StringComparison.Ordinal);
    }

    private async Task TamperAsync(string sql) =>
        await db.ExecuteAsOwnerAsync($"ALTER TABLE mt_events DISABLE TRIGGER USER; {sql}; ALTER TABLE mt_events ENABLE TRIGGER USER;");

    [Fact]
    public async Task A_changed_payload_is_detected_at_its_version()
    {
        await TamperAsync($"UPDATE mt_events SET data = jsonb_set(data, '{{name}}', '\"Evil\"') WHERE stream_id = '{stream}' AND version = 3");
        var result = await VerifyAsync();
        Assert.Equal(ChainFailure.HashMismatch, result.Failure);
        Assert.Equal(3, result.FailedVersion);
    }

    [Fact]
    public async Task A_changed_actor_is_detected_at_its_version()
    {
        await TamperAsync($"UPDATE mt_events SET headers = jsonb_set(headers, '{{actor}}', '\"someone-else\"') WHERE stream_id = '{stream}' AND version = 2");
        var result = await VerifyAsync();
        Assert.Equal(ChainFailure.HashMismatch, result.Failure);
        Assert.Equal(2, result.FailedVersion);
    }

    [Fact]
    public async Task A_deleted_event_is_detected_where_the_gap_opens()
    {
        await TamperAsync($"DELETE FROM mt_events WHERE stream_id = '{stream}' AND version = 2");
        var result = await VerifyAsync();
        Assert.NotNull(result.Failure);
        Assert.Equal(3, result.FailedVersion);
    }

    [Fact]
    public async Task Two_swapped_events_are_detected_at_the_first_of_them()
    {
        await TamperAsync($"UPDATE mt_events SET version = -version WHERE stream_id = '{stream}' AND version IN (2, 3); " +
            $"UPDATE mt_events SET version = CASE version WHEN -2 THEN 3 ELSE 2 END WHERE stream_id = '{stream}' AND version < 0");
        var result = await VerifyAsync();
        Assert.NotNull(result.Failure);
        Assert.Equal(2, result.FailedVersion);
    }

    [Fact]
    public async Task An_untouched_stream_verifies()
    {
        var result = await VerifyAsync();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(5, result.EventsChecked);
    }
}
