using System.Buffers;
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
/// batch (after a restart, another node or a rebuild) tallies the whole view and stores every exposure.
/// </summary>
public sealed class LiabilityProjection : LedgerViewProjection<LiabilityProjection>
{
    public const string ProjectionName = "liability";

    public override string Name => ProjectionName;

    protected override bool NeedsWholeView => true;

    /// <summary>Larger batches than the other read models': a batch that does not continue the previous one computes the whole report, so fewer batches do less of that work while it catches up.</summary>
    public override int BatchSize => 10_000;

    /// <summary>
    /// The report the last batch stored, as a digest of each party's, system's, policy's and accumulation's exposure
    /// (its JSON's SHA-256) by id: what the next batch compares with while the view continues.
    /// </summary>
    private StoredReport? stored;

    /// <summary>The sums behind the exposures as of the view the last batch left; used only while the view continues (a failed batch ends that).</summary>
    private ExposureTally? tally;

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
        ExposureScope scope;
        StoredReport previous;
        var carried = change.Continues && stored is not null ? tally : null;
        if (carried is not null)
        {
            (previous, scope) = (stored!, LiabilityExposure.Affected(change.Before, change.After, change.Touched));
            tally = carried.Apply(change.Before, change.After, change.Touched);
        }
        else
        {
            (previous, scope) = (StoredReport.Of(LiabilityExposure.Compute(change.Before, change.AsOf)), ExposureScope.Everything);
            tally = ExposureTally.Of(change.After);
        }

        StoreExposureIncidents(operations, tally, whole: !ReferenceEquals(tally, carried));

        var report = tally.Report(change.After, change.AsOf, scope);
        stored = new StoredReport(
            StoreChanged(operations, previous.Parties, report.Parties, p => p.OrganisationId, scope.Parties, all: carried is null),
            StoreChanged(operations, previous.Systems, report.Systems, s => s.SystemId, scope.Systems, all: carried is null),
            StoreChanged(operations, previous.Policies, report.Policies, p => p.PolicyId, null, all: carried is null),
            StoreChanged(operations, previous.Accumulations, report.Accumulations, a => a.FoundationModelId, scope.Roots, all: carried is null));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores which incidents the policies and accumulations count: what moved in the batch, or every one in place of all
    /// stored before when the tally is new (the view did not continue, or a system or policy changed).
    /// </summary>
    private static void StoreExposureIncidents(IDocumentOperations operations, ExposureTally tally, bool whole)
    {
        if (whole)
        {
            operations.DeleteWhere<ExposureIncident>(x => x.ExposureId != Guid.Empty);
            foreach (var incident in tally.ExposureIncidents)
            {
                operations.Store(incident);
            }

            return;
        }

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
    /// Stores the recomputed exposures that differ from before the batch (<paramref name="all"/> of them when the view did not
    /// continue: what is stored may be from another version of the ledger), deletes those of the <paramref name="scope"/> (every
    /// one where null) that no longer have any, and returns the exposures' digests after the batch.
    /// </summary>
    private static Dictionary<Guid, byte[]> StoreChanged<T>(IDocumentOperations operations, Dictionary<Guid, byte[]> before, IReadOnlyList<T> recomputed, Func<T, Guid> id, IReadOnlySet<Guid>? scope, bool all)
        where T : notnull
    {
        var now = scope is null ? new Dictionary<Guid, byte[]>(recomputed.Count) : new Dictionary<Guid, byte[]>(before.Where(e => !scope.Contains(e.Key)));
        foreach (var item in recomputed)
        {
            var (key, digest) = (id(item), Digest(item));
            now[key] = digest;
            if (all || !before.TryGetValue(key, out var old) || !old.AsSpan().SequenceEqual(digest))
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

    /// <summary>The SHA-256 of an exposure's JSON, hashed as it is written: an exposure can list thousands of incidents, and its JSON is needed only to tell whether it changed.</summary>
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
