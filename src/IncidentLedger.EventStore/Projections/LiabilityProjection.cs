using System.Buffers;
using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text.Json;
using IncidentLedger.Domain.ReadModels;
using Marten;

namespace IncidentLedger.EventStore.Projections;

/// <summary>
/// Liability exposure for insurers, per party, AI system, policy and foundation-model accumulation,
/// as of the last event applied. Exposure crosses streams (a policy covers systems, a system's
/// incidents weigh on its provider), so every batch folds into the whole view. A batch that continues
/// the previous one counts its incidents again in the tally it carries (<see cref="ExposureTally"/>),
/// reports from it only the exposures its events can have changed (<see cref="LiabilityExposure.Affected"/>)
/// and every policy (whether one is in force moves with time), and stores what differs from what it
/// stored before, with the incidents that entered or left a policy's or accumulation's count; any other
/// batch (after a restart, another node or a rebuild) tallies the whole view and writes every exposure
/// again in place of what was stored.
/// </summary>
public sealed class LiabilityProjection : LedgerViewProjection<LiabilityProjection>
{
    public const string ProjectionName = "liability";

    public override string Name => ProjectionName;

    protected override bool NeedsWholeView => true;

    /// <summary>Larger batches than the other read models': every batch reports and compares every policy and writes its mark, so fewer batches do less of that while it catches up.</summary>
    public override int BatchSize => 10_000;

    /// <summary>What the last batch left, used only while the view continues (a failed batch ends that).</summary>
    private Carried? carried;

    /// <summary>
    /// The tally behind the exposures, and the report the batch stored as a digest of each party's, system's, policy's and
    /// accumulation's exposure (its JSON's SHA-256) by id: what the next batch compares with.
    /// </summary>
    private sealed record Carried(ExposureTally Tally, StoredReport Stored);

    private sealed record StoredReport(Dictionary<Guid, byte[]> Parties, Dictionary<Guid, byte[]> Systems, Dictionary<Guid, byte[]> Policies, Dictionary<Guid, byte[]> Accumulations)
    {
        public static StoredReport Of(ExposureReport report) => new(
            report.Parties.ToDictionary(p => p.OrganisationId, Digest),
            report.Systems.ToDictionary(s => s.SystemId, Digest),
            report.Policies.ToDictionary(p => p.PolicyId, Digest),
            report.Accumulations.ToDictionary(a => a.FoundationModelId, Digest));
    }

    protected override Task WriteAsync(IDocumentOperations operations, ViewChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(change);
        if (change.Continues && carried is { } last)
        {
            var scope = LiabilityExposure.Affected(change.Before, change.After, change.Touched);
            var tally = last.Tally.Apply(change.Before, change.After, change.Touched);
            if (ReferenceEquals(tally, last.Tally))
            {
                StoreMoves(operations, tally);
            }
            else
            {
                StoreDifference(operations, last.Tally.ExposureIncidents, tally.ExposureIncidents);
            }

            var report = tally.Report(change.After, change.AsOf, scope);
            carried = new Carried(tally, new StoredReport(
                StoreChanged(operations, last.Stored.Parties, report.Parties, p => p.OrganisationId, scope.Parties),
                StoreChanged(operations, last.Stored.Systems, report.Systems, s => s.SystemId, scope.Systems),
                StoreChanged(operations, last.Stored.Policies, report.Policies, p => p.PolicyId, null),
                StoreChanged(operations, last.Stored.Accumulations, report.Accumulations, a => a.FoundationModelId, scope.Roots)));
        }
        else
        {
            // What is stored may be another node's, a rebuild's or an earlier version's: every exposure is written again in place of all.
            var tally = ExposureTally.Of(change.After);
            var report = tally.Report(change.After, change.AsOf, ExposureScope.Everything);
            Replace(operations, report.Parties, (PartyExposure p) => p.OrganisationId != Guid.Empty);
            Replace(operations, report.Systems, (SystemExposure s) => s.SystemId != Guid.Empty);
            Replace(operations, report.Policies, (PolicyExposure p) => p.PolicyId != Guid.Empty);
            Replace(operations, report.Accumulations, (Accumulation a) => a.FoundationModelId != Guid.Empty);
            Replace(operations, tally.ExposureIncidents, (ExposureIncident x) => x.ExposureId != Guid.Empty);
            carried = new Carried(tally, StoredReport.Of(report));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stores the incidents that entered a policy's or accumulation's count in the batch and deletes those that left it.</summary>
    private static void StoreMoves(IDocumentOperations operations, ExposureTally tally)
    {
        foreach (var (incident, entered) in tally.TakeMoves())
        {
            if (entered)
            {
                operations.Store(incident);
            }
            else
            {
                operations.Delete<ExposureIncident>(incident.Id);
            }
        }
    }

    /// <summary>
    /// Stores the incidents a tally built again lists and the last one did not, and deletes those it no longer lists: a
    /// changed system or policy moves the incidents it concerns, and the rest of the register's stay as they are stored.
    /// </summary>
    private static void StoreDifference(IDocumentOperations operations, IEnumerable<ExposureIncident> stored, IEnumerable<ExposureIncident> now)
    {
        var left = stored.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var incident in now)
        {
            if (!left.Remove(incident.Id))
            {
                operations.Store(incident);
            }
        }

        foreach (var id in left)
        {
            operations.Delete<ExposureIncident>(id);
        }
    }

    /// <summary>Deletes every document of a kind (<paramref name="every"/> holds for all of them) and stores <paramref name="documents"/> in their place, in the batch's transaction.</summary>
    private static void Replace<T>(IDocumentOperations operations, IEnumerable<T> documents, Expression<Func<T, bool>> every)
        where T : notnull
    {
        operations.DeleteWhere(every);
        foreach (var document in documents)
        {
            operations.Store(document);
        }
    }

    /// <summary>
    /// Stores the recomputed exposures that differ from before the batch, deletes those of the <paramref name="scope"/> (every
    /// one where null) that no longer have any, and returns the exposures' digests after the batch.
    /// </summary>
    private static Dictionary<Guid, byte[]> StoreChanged<T>(IDocumentOperations operations, Dictionary<Guid, byte[]> before, IReadOnlyList<T> recomputed, Func<T, Guid> id, IReadOnlySet<Guid>? scope)
        where T : notnull
    {
        var now = scope is null ? new Dictionary<Guid, byte[]>(recomputed.Count) : new Dictionary<Guid, byte[]>(before.Where(e => !scope.Contains(e.Key)));
        foreach (var item in recomputed)
        {
            var (key, digest) = (id(item), Digest(item));
            now[key] = digest;
            if (!before.TryGetValue(key, out var old) || !old.AsSpan().SequenceEqual(digest))
            {
                operations.Store(item);
            }
        }

        foreach (var gone in before.Keys.Where(k => !now.ContainsKey(k)))
        {
            operations.Delete<T>(gone);
        }

        return now;
    }

    /// <summary>The SHA-256 of an exposure's JSON, hashed as it is written: a party's lists a line per incident it holds a share in, and its JSON is needed only to tell whether it changed.</summary>
    private static byte[] Digest<T>(T item)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var writer = new Utf8JsonWriter(new HashingBufferWriter(hash)))
        {
            JsonSerializer.Serialize(writer, item, Domain.DomainJson.Options);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Hands out one reusable buffer and hashes what is written to it.</summary>
    private sealed class HashingBufferWriter(IncrementalHash hash) : IBufferWriter<byte>
    {
        private byte[] buffer = new byte[4096];

        public void Advance(int count) => hash.AppendData(buffer, 0, count);

        public Memory<byte> GetMemory(int sizeHint = 0) => Buffer(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Buffer(sizeHint);

        private byte[] Buffer(int sizeHint) => sizeHint <= buffer.Length ? buffer : buffer = new byte[sizeHint];
    }
}
