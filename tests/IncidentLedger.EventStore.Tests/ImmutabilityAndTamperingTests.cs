using IncidentLedger.EventStore.Streams;
using IncidentLedger.Integrity.Envelopes;
using IncidentLedger.Testing;
using Npgsql;

namespace IncidentLedger.EventStore.Tests;

public sealed class ImmutabilityAndTamperingTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private readonly LedgerEventStore store = db.CreateStore(TestEvents.Registry());

    private async Task<StreamKey> StreamWithFiveEventsAsync()
    {
        var stream = new StreamKey("incident", Guid.NewGuid());
        await store.AppendAsync(stream, ExpectedVersion.NoStream, [new(new IncidentFiled("Companion chatbot harm", 1))], TestEvents.By());
        for (var i = 2; i <= 5; i++)
        {
            await store.AppendAsync(stream, ExpectedVersion.Exactly(i - 1), [new(new NoteAdded($"follow-up {i}"))], TestEvents.By());
        }

        return stream;
    }

    [Theory]
    [InlineData("UPDATE ledger_events SET data = '{}'")]
    [InlineData("DELETE FROM ledger_events")]
    [InlineData("TRUNCATE ledger_events CASCADE")]
    public async Task The_application_role_cannot_change_or_remove_events(string sql)
    {
        await StreamWithFiveEventsAsync();
        await using var command = db.App.CreateCommand(sql);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Theory]
    [InlineData("UPDATE ledger_events SET data = '{}'", "UPDATE")]
    [InlineData("DELETE FROM ledger_events", "DELETE")]
    [InlineData("TRUNCATE ledger_events CASCADE", "TRUNCATE")]
    public async Task Even_the_owner_is_stopped_by_the_insert_only_trigger(string sql, string operation)
    {
        await StreamWithFiveEventsAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsOwnerAsync(sql));
        Assert.Contains($"insert-only: {operation}", error.MessageText, StringComparison.Ordinal);
    }

    /// <summary>What an attacker with superuser rights could do: switch the trigger off and edit rows.</summary>
    private Task TamperAsync(string sql) => db.ExecuteAsOwnerAsync($"""
        ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_insert_only;
        {sql};
        ALTER TABLE ledger_events ENABLE TRIGGER ledger_events_insert_only;
        """);

    [Fact]
    public async Task A_changed_payload_is_detected_at_its_version()
    {
        var stream = await StreamWithFiveEventsAsync();
        await TamperAsync($"UPDATE ledger_events SET data = jsonb_set(data, '{{text}}', '\"nothing happened\"') WHERE stream_id = '{stream.Id}' AND version = 3");

        var result = await store.VerifyStreamAsync(stream.Id);
        Assert.Equal(ChainFailure.HashMismatch, result.Failure);
        Assert.Equal(3, result.FailedVersion);
    }

    [Fact]
    public async Task A_changed_actor_is_detected_at_its_version()
    {
        var stream = await StreamWithFiveEventsAsync();
        await TamperAsync($"UPDATE ledger_events SET metadata = jsonb_set(metadata, '{{actor}}', '\"someone-else\"') WHERE stream_id = '{stream.Id}' AND version = 2");

        var result = await store.VerifyStreamAsync(stream.Id);
        Assert.Equal((ChainFailure.HashMismatch, 2L), (result.Failure!.Value, result.FailedVersion!.Value));
    }

    [Fact]
    public async Task A_deleted_event_is_detected_where_the_gap_opens()
    {
        var stream = await StreamWithFiveEventsAsync();
        await TamperAsync($"DELETE FROM ledger_events WHERE stream_id = '{stream.Id}' AND version = 2");

        var result = await store.VerifyStreamAsync(stream.Id);
        Assert.Equal(ChainFailure.VersionGap, result.Failure);
        Assert.Equal(3, result.FailedVersion);
    }

    [Fact]
    public async Task A_deleted_last_event_is_detected_by_the_stream_head()
    {
        var stream = await StreamWithFiveEventsAsync();
        await TamperAsync($"DELETE FROM ledger_events WHERE stream_id = '{stream.Id}' AND version = 5");

        var result = await store.VerifyStreamAsync(stream.Id);
        Assert.Equal(ChainFailure.HeadMismatch, result.Failure);
    }

    [Fact]
    public async Task Two_swapped_events_are_detected_at_the_first_of_them()
    {
        var stream = await StreamWithFiveEventsAsync();
        await TamperAsync($"""
            UPDATE ledger_events SET version = version + 1000 WHERE stream_id = '{stream.Id}' AND version IN (2, 3);
            UPDATE ledger_events SET version = CASE version WHEN 1002 THEN 3 ELSE 2 END WHERE stream_id = '{stream.Id}' AND version IN (1002, 1003)
            """);

        var result = await store.VerifyStreamAsync(stream.Id);
        Assert.NotNull(result.Failure);
        Assert.Equal(2, result.FailedVersion);
    }

    [Fact]
    public async Task An_untouched_stream_verifies()
    {
        var stream = await StreamWithFiveEventsAsync();
        var result = await store.VerifyStreamAsync(stream.Id);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(5, result.EventsChecked);
    }
}
