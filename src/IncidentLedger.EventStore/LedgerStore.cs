using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentLedger.Domain;
using IncidentLedger.EventStore.Streams;
using IncidentLedger.EventStore.Writing;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Core;

namespace IncidentLedger.EventStore;

/// <summary>
/// The Marten configuration of a ledger: string stream keys (a stream's UUID), the domain's JSON,
/// the append mode that keeps the timestamps a hash covers, the domain's event catalogue under its
/// stable names, the inline stream snapshots the write path loads, and no schema changes from the
/// application itself (the owner applies them, see <see cref="LedgerSetup"/>).
/// </summary>
public static class LedgerStore
{
    /// <summary>Headers every ledger event carries (docs/verification.md, section 12).</summary>
    public static class Headers
    {
        public const string Actor = "actor";
        public const string Organisation = "organisation";
        public const string Role = "role";
        public const string CorrelationId = "correlationId";
        public const string CausationId = "causationId";
        public const string StreamType = "streamType";
        public const string SchemaVersion = "schemaVersion";
        public const string Hash = "hash";
        public const string Prev = "prev";
    }

    /// <summary>The stored type name of a domain event: its catalogue name, suffixed for schema versions after the first.</summary>
    public static string StoredName(EventDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.SchemaVersion == 1 ? descriptor.Name : $"{descriptor.Name}_v{descriptor.SchemaVersion}";
    }

    public static void Configure(StoreOptions options, string connectionString, string schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        LedgerSchema.Validate(schema);
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.None;

        options.Events.StreamIdentity = StreamIdentity.AsString;
        // Quick appends keep the timestamp the write path set (and hashed); Rich mode reserves sequence
        // numbers before the transaction, which can let a gap-skipping reader pass an event by.
        options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        options.Events.MetadataConfig.HeadersEnabled = true;
        // The domain's JSON, byte for byte: Marten replaces the enum converter when it sets its enum
        // storage, so the domain's (snake_case names) goes back in front.
        options.UseSystemTextJsonForSerialization(new JsonSerializerOptions(DomainJson.Options), EnumStorage.AsString, Casing.CamelCase, json =>
            json.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)));

        foreach (var descriptor in DomainEvents.All)
        {
            options.Events.MapEventType(descriptor.ClrType, StoredName(descriptor));
        }

        options.Projections.Add(new LedgerStreamProjection<OrganisationStream, Domain.Organisations.Organisation>(DomainStreams.Organisation), ProjectionLifecycle.Inline);
        options.Projections.Add(new LedgerStreamProjection<AiSystemStream, Domain.AiSystems.AiSystem>(DomainStreams.AiSystem), ProjectionLifecycle.Inline);
        options.Projections.Add(new LedgerStreamProjection<IncidentStream, Domain.Incidents.Incident>(DomainStreams.Incident), ProjectionLifecycle.Inline);
        options.Projections.Add(new LedgerStreamProjection<PolicyStream, Domain.Policies.Policy>(DomainStreams.Policy), ProjectionLifecycle.Inline);
        options.Schema.For<CommandRecord>();
        Projections.LedgerProjections.Configure(options);
        // Paused shards, their reason and the event they stopped at are kept in mt_event_progression, for status on any node.
        options.Events.EnableExtendedProgressionTracking = true;

        // The daemon looks for new events every 50 ms while busy and every 200 ms while quiet (Marten's
        // defaults, 250 ms and 1 s, put half a second of lag on a quiet ledger's read models).
        options.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
        options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(200);

        // A projection that cannot apply an event stops there, visibly, instead of skipping it.
        options.Projections.Errors.SkipApplyErrors = false;
        options.Projections.Errors.SkipSerializationErrors = false;
        options.Projections.Errors.SkipUnknownEvents = false;
        options.Projections.RebuildErrors.SkipApplyErrors = false;
    }
}
