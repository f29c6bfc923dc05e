using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Checkpoints;
using IncidentLedger.Testing;
using Npgsql;

namespace IncidentLedger.EventStore.Tests;

/// <summary>Collected witness cosignatures: stored once, served with the checkpoint they sign and no other, never changed or removed.</summary>
public sealed class CosignatureStoreTests : IAsyncLifetime
{
    private readonly LedgerDatabase db = new();
    private readonly NSecEd25519Signer witnessSigner = NSecEd25519Signer.Generate();
    private CosignatureKey witness = null!;
    private StoredCheckpoint checkpoint = null!;

    public async ValueTask InitializeAsync()
    {
        await db.InitializeAsync();
        witness = CosignatureKey.ForSigner("w1.witness.example", witnessSigner);
        await db.WriteOrganisationsAsync(2, 3);
        Assert.Equal(6, (await db.CreateSealer().SealOnceAsync()).Checkpoint!.Size);
        checkpoint = (await db.Log.LatestCheckpointAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        witnessSigner.Dispose();
        await db.DisposeAsync();
    }

    private WitnessCosignatures Store => new(db.App);

    /// <summary>The witness's signature line on the checkpoint at <paramref name="timestamp"/>.</summary>
    private NoteSignature Cosign(long timestamp) =>
        witness.Cosign(SignedNote.Parse(checkpoint.Note), timestamp).Signatures.Single(s => s.KeyName == witness.KeyName);

    private async Task<int> CountAsync() => (int)await db.ScalarAsync<long>("SELECT count(*) FROM ledger_cosignatures");

    [Fact]
    public async Task A_cosignature_is_stored_once_and_served_appended_to_its_checkpoint()
    {
        var line = Cosign(1_700_000_000);
        Assert.Equal([true], await Store.AddAsync(checkpoint.Checkpoint, [line], DateTimeOffset.UtcNow));
        Assert.Equal([false], await Store.AddAsync(checkpoint.Checkpoint, [line], DateTimeOffset.UtcNow));
        Assert.Equal(1, await CountAsync());

        var served = (await db.Log.LatestCheckpointAsync())!;
        Assert.Equal(checkpoint.Note, served.Note);
        Assert.Equal(checkpoint.Note + line.ToLine(), served.CosignedNote);
        var note = SignedNote.Parse(served.CosignedNote);
        Assert.True(note.IsVerifiedBy(db.CheckpointKey));
        Assert.Equal([witness.KeyName], CosignedNotes.VerifiedWitnesses(note, [witness]).Select(w => w.KeyName));
        Assert.Equal(1_700_000_000, served.Cosignatures.Single().CosignedAt);
    }

    [Fact]
    public async Task A_witness_that_cosigns_again_is_served_with_its_newest_cosignature_only()
    {
        await Store.AddAsync(checkpoint.Checkpoint, [Cosign(1_700_000_000)], DateTimeOffset.UtcNow);
        await Store.AddAsync(checkpoint.Checkpoint, [Cosign(1_700_000_600)], DateTimeOffset.UtcNow);
        Assert.Equal(2, await CountAsync());
        var served = (await db.Log.CheckpointsAsync()).Single();
        Assert.Equal(1_700_000_600, served.Cosignatures.Single().CosignedAt);
        Assert.Equal(checkpoint.Note + Cosign(1_700_000_600).ToLine(), served.CosignedNote);
    }

    [Fact]
    public async Task A_cosignature_is_not_served_beside_another_root_of_the_same_size()
    {
        await Store.AddAsync(checkpoint.Checkpoint, [Cosign(1_700_000_000)], DateTimeOffset.UtcNow);

        // The owner replaces the checkpoint with one of another root (what a rewrite of the log does).
        var forged = new Checkpoint(LedgerDatabase.Origin, checkpoint.Checkpoint.Size, Integrity.Hash.Sha256("forged"u8));
        await using (var connection = await db.Owner.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var replica = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, transaction))
            {
                await replica.ExecuteNonQueryAsync();
            }

            await using (var delete = new NpgsqlCommand("DELETE FROM ledger_checkpoints WHERE size = $1", connection, transaction))
            {
                delete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = forged.Size });
                await delete.ExecuteNonQueryAsync();
            }

            await using var replace = new NpgsqlCommand("INSERT INTO ledger_checkpoints (size, root, note, issued_at) VALUES ($1, $2, $3, now())", connection, transaction);
            replace.Parameters.Add(new NpgsqlParameter<long> { TypedValue = forged.Size });
            replace.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = forged.Root.ToArray() });
            replace.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SignedNote.Sign(forged.ToNoteText(), db.CheckpointKey).ToString() });
            await replace.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var served = (await db.Log.LatestCheckpointAsync())!;
        Assert.Equal(forged.Root, served.Checkpoint.Root);
        Assert.Empty(served.Cosignatures);
        Assert.Equal(served.Note, served.CosignedNote);
    }

    [Fact]
    public async Task Only_checkpoints_the_log_holds_can_carry_cosignatures()
    {
        var unknown = new Checkpoint(LedgerDatabase.Origin, checkpoint.Checkpoint.Size + 100, checkpoint.Checkpoint.Root);
        var error = await Assert.ThrowsAsync<PostgresException>(() => Store.AddAsync(unknown, [Cosign(1_700_000_000)], DateTimeOffset.UtcNow));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Theory]
    [InlineData("UPDATE ledger_cosignatures SET received_at = now()")]
    [InlineData("DELETE FROM ledger_cosignatures")]
    [InlineData("TRUNCATE ledger_cosignatures")]
    public async Task The_application_role_can_neither_change_nor_remove_a_cosignature(string sql)
    {
        await Store.AddAsync(checkpoint.Checkpoint, [Cosign(1_700_000_000)], DateTimeOffset.UtcNow);
        await using var command = db.App.CreateCommand(sql);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("permission denied", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync());
    }

    [Theory]
    [InlineData("UPDATE ledger_cosignatures SET received_at = now()", "UPDATE")]
    [InlineData("DELETE FROM ledger_cosignatures", "DELETE")]
    [InlineData("TRUNCATE ledger_cosignatures", "TRUNCATE")]
    public async Task Even_the_owner_is_stopped_by_the_insert_only_trigger(string sql, string operation)
    {
        await Store.AddAsync(checkpoint.Checkpoint, [Cosign(1_700_000_000)], DateTimeOffset.UtcNow);
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsOwnerAsync(sql));
        Assert.Contains($"ledger_cosignatures is insert-only: {operation} is not allowed", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync());
    }
}
