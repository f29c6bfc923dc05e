using IncidentLedger.Integrity;
using Npgsql;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>Reads stored complete subtrees by (level, index), all in one query.</summary>
internal static class MerkleNodes
{
    public static async Task<Dictionary<(int Level, long Index), Hash>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<(int Level, long Index)> wanted, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(int, long), Hash>();
        if (wanted.Count == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand(
            "SELECT t.level, t.index, t.hash FROM ledger_tree t JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, index) ON t.level = w.level AND t.index = w.index",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = [.. wanted.Select(w => (short)w.Level)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. wanted.Select(w => w.Index)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[(reader.GetInt16(0), reader.GetInt64(1))] = Hash.FromBytes(reader.GetFieldValue<byte[]>(2));
        }

        var missing = wanted.Where(w => !found.ContainsKey(w)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The stored Merkle tree lacks subtrees {string.Join(", ", missing.Take(5))}: the log is damaged or was altered.");
        }

        return found;
    }
}
