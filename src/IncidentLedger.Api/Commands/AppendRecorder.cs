using System.Diagnostics;
using IncidentLedger.Api.Operations;
using Marten;
using Marten.Services;

namespace IncidentLedger.Api.Commands;

/// <summary>
/// Records a command's append in <see cref="LedgerMetrics"/> once its session commits: a lost race that Wolverine retries, or a
/// transaction that rolls back, never counts.
/// </summary>
internal sealed class AppendRecorder(LedgerMetrics metrics, long startedAt, int events, string streamType) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        metrics.RecordAppend(Stopwatch.GetElapsedTime(startedAt), events, streamType);
        return Task.CompletedTask;
    }
}
