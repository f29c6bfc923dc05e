using IncidentLedger.Domain;
using IncidentLedger.EventStore.Sealing;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Integrity.Envelopes;
using IncidentLedger.Testing;
using JasperFx;

namespace IncidentLedger.EventStore.Tests;

/// <summary>The hash-chained write path on Marten: versions, links, conflicts, idempotency and bad input.</summary>
public sealed class WritePathTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private static ChainVerification Verify(Guid streamId, IReadOnlyList<StoredEvent> events) =>
        StreamVerifier.Verify(streamId, events.Select(e => new SealedEnvelope(e.EnvelopeIn(LedgerDatabase.Origin), e.Hash)));

    private async Task<long> EventCountAsync(Guid streamId) =>
        await db.ScalarAsync<long>($"SELECT count(*) FROM mt_events WHERE stream_id = '{streamId}'");

    [Fact]
    public async Task A_new_stream_starts_at_version_one_and_each_event_links_to_the_previous()
    {
        var id = Guid.NewGuid();
        await db.RunAsync(Organisations.Register(id));
        await db.RunAsync(Organisations.Rename(id, "Beta"));
        var third = await db.RunAsync(Organisations.Rename(id, "Gamma"));

        Assert.Equal(3, third.Version);
        var events = await db.Export.StreamAsync(id);
        Assert.Equal([1L, 2, 3], events.Select(e => e.Version));
        Assert.Null(events[0].Prev);
        Assert.Equal(events[0].Hash, events[1].Prev);
        Assert.Equal(events[1].Hash, events[2].Prev);
        Assert.Equal(["organisation.registered", "organisation.renamed", "organisation.renamed"], events.Select(e => e.EventType));
        Assert.Equal("admin@test", events[2].Actor);
        Assert.True(Verify(id, events).IsIntact);

        await using var session = db.Store.QuerySession();
        var snapshot = await session.LoadAsync<OrganisationStream>(id.ToString("D"));
        Assert.Equal(3, snapshot!.Version);
        Assert.Equal(events[2].Hash.ToString(), snapshot.Head);
        Assert.Equal("Gamma", ((Domain.Organisations.Organisation.Registered)snapshot.State).Name);
    }

    [Fact]
    public async Task The_stored_timestamp_is_the_hashed_one_a_utc_instant_with_microseconds()
    {
        var id = Guid.NewGuid();
        var outcome = await db.RunAsync(Organisations.Register(id));
        var stored = (await db.Export.StreamAsync(id))[0];
        Assert.Equal(outcome.Events[0].RecordedAt, stored.RecordedAt);
        Assert.Equal(0, stored.RecordedAt.Ticks % 10);
        Assert.Equal(TimeSpan.Zero, stored.RecordedAt.Offset);
    }

    [Fact]
    public async Task A_wrong_expected_version_is_a_typed_conflict_carrying_the_current_version_and_writes_nothing()
    {
        var id = Guid.NewGuid();
        await db.RunAsync(Organisations.Register(id));
        await db.RunAsync(Organisations.Rename(id, "Beta"));

        var conflict = await Assert.ThrowsAsync<StreamConflictException>(() => db.RunAsync(Organisations.Rename(id, "Stale"), new CommandContext { ExpectedVersion = 1 }));
        Assert.Equal(2, conflict.CurrentVersion);
        Assert.Equal(1, conflict.ExpectedVersion);
        Assert.Equal(2, await EventCountAsync(id));
    }

    [Fact]
    public async Task Fifty_concurrent_writers_with_exact_versions_get_every_version_once_and_the_chain_verifies()
    {
        var id = Guid.NewGuid();
        await db.RunAsync(Organisations.Register(id));
        using var start = new SemaphoreSlim(0);
        var writers = Enumerable.Range(0, 50).Select(async n =>
        {
            await start.WaitAsync();
            var expected = 1L;
            var losses = 0;
            while (true)
            {
                try
                {
                    var outcome = await db.RunAsync(Organisations.Rename(id, $"Writer {n}"), new CommandContext { ExpectedVersion = expected });
                    return (Version: outcome.Version, Losses: losses);
                }
                catch (Exception e) when (e is StreamConflictException or ConcurrencyException)
                {
                    losses++;
                    expected = e is StreamConflictException typed ? typed.CurrentVersion : (await db.Export.StreamAsync(id)).Count;
                }
            }
        }).ToArray();
        start.Release(50);
        var results = await Task.WhenAll(writers);

        Assert.Equal(Enumerable.Range(2, 50).Select(v => (long)v), results.Select(r => r.Version).Order());
        Assert.True(results.Sum(r => r.Losses) >= 49, "every writer but one lost the first round");
        var events = await db.Export.StreamAsync(id);
        Assert.Equal(51, events.Count);
        Assert.True(Verify(id, events).IsIntact);
    }

    [Fact]
    public async Task Resending_an_idempotency_key_returns_the_original_result_and_writes_nothing()
    {
        var id = Guid.NewGuid();
        var key = "register/" + id;
        var first = await db.RunAsync(Organisations.Register(id), new CommandContext { IdempotencyKey = key });
        await db.RunAsync(Organisations.Rename(id, "Beta"));
        var again = await db.RunAsync(Organisations.Register(id, "Other name"), new CommandContext { IdempotencyKey = key });

        Assert.True(again.AlreadyApplied);
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(first.Events.Select(e => e.EventId), again.Events.Select(e => e.EventId));
        Assert.Equal(2, await EventCountAsync(id));
    }

    [Fact]
    public async Task Racing_senders_of_one_idempotency_key_write_once()
    {
        var id = Guid.NewGuid();
        await db.RunAsync(Organisations.Register(id));
        var key = "rename/" + id;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await db.RunAsync(Organisations.Rename(id, "Once"), new CommandContext { IdempotencyKey = key });
                }
                catch (Exception) when (attempt < 10)
                {
                    // The loser's save fails (conflict on the stream or on the key): sending again must answer with the winner's result.
                }
            }
        }));

        Assert.Single(results.SelectMany(r => r.Events).Select(e => e.EventId).Distinct());
        Assert.Equal(2, await EventCountAsync(id));
    }

    [Fact]
    public async Task An_idempotency_key_reused_for_another_command_is_refused()
    {
        var id = Guid.NewGuid();
        await db.RunAsync(Organisations.Register(id), new CommandContext { IdempotencyKey = "k/" + id });
        await Assert.ThrowsAsync<IdempotencyConflictException>(() => db.RunAsync(Organisations.Rename(id, "X"), new CommandContext { IdempotencyKey = "k/" + id }));
        Assert.Equal(1, await EventCountAsync(id));
    }

    [Fact]
    public async Task A_repeated_command_decides_nothing_and_writes_nothing()
    {
        var id = Guid.NewGuid();
        var register = Organisations.Register(id);
        await db.RunAsync(register);
        var repeat = await db.RunAsync(register);
        Assert.Empty(repeat.Events);
        Assert.Equal(1, repeat.Version);
        Assert.Equal(1, await EventCountAsync(id));
    }

    [Fact]
    public async Task A_broken_rule_surfaces_as_the_domains_error_and_writes_nothing()
    {
        var id = Guid.NewGuid();
        var violation = await Assert.ThrowsAsync<RuleViolation>(() => db.RunAsync(Organisations.Rename(id, "Ghost")));
        Assert.Equal("organisation.unknown", violation.Code);
        Assert.Equal(0, await EventCountAsync(id));
    }

    [Theory]
    [InlineData("empty-key")]
    [InlineData("long-key")]
    [InlineData("nul")]
    [InlineData("oversized")]
    public async Task Bad_input_is_refused_with_a_clear_error_and_nothing_is_written(string problem)
    {
        var id = Guid.NewGuid();
        var (command, context) = problem switch
        {
            "empty-key" => (Organisations.Register(id), new CommandContext { IdempotencyKey = "" }),
            "long-key" => (Organisations.Register(id), new CommandContext { IdempotencyKey = new string('k', 201) }),
            "nul" => (Organisations.Register(id, "Acme\0AI"), new CommandContext()),
            _ => (Organisations.Register(id), new CommandContext()),
        };
        if (problem == "oversized")
        {
            // No domain command accepts 256 KiB of text, so the write path's own limit is checked directly.
            await using var session = db.Store.LightweightSession();
            var huge = new Domain.Organisations.OrganisationRenamed(id, new string('x', ChainedEvents.MaxEventBytes), "a", "b", DateTimeOffset.UtcNow, "admin@test");
            Assert.Throws<InvalidEventException>(() => ChainedEvents.Build(session.Events.BuildEvent, LedgerDatabase.Origin, id, "organisation", 0, null, [huge], new EventMetadata("admin@test"), DateTimeOffset.UtcNow));
            return;
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.RunAsync(command, context));
        Assert.True(error is InvalidEventException or RuleViolation, error.ToString());
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(0, await EventCountAsync(id));
    }

    [Fact]
    public void An_event_without_an_actor_is_refused()
    {
        Assert.Throws<InvalidEventException>(() => new EventMetadata(" "));
    }
}
