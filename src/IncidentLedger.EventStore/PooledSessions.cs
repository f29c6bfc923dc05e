using Npgsql;

namespace IncidentLedger.EventStore;

/// <summary>
/// Session state on pooled connections. The application's connections keep their session across pool returns
/// (Npgsql's reset is off, see <see cref="LedgerSchema"/>), so whatever a session took (an advisory lock, a
/// LISTEN) stays with the idle connection until this undoes it.
/// </summary>
public static class PooledSessions
{
    /// <summary>
    /// Runs <paramref name="sql"/> (an unlock, an UNLISTEN) on a connection about to return to its pool. A
    /// connection that is closed or broken has lost its session, and with it what the statement would undo; one
    /// that is open but could not run it is not pooled again (its pool is cleared, which closes it on return).
    /// </summary>
    public static async Task UndoAsync(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                NpgsqlConnection.ClearPool(connection);
            }
        }
    }
}
