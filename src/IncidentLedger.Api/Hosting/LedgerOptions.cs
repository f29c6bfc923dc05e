namespace IncidentLedger.Api.Hosting;

/// <summary>The "Ledger" configuration section.</summary>
public sealed record LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>The log's origin: the first line of its checkpoints and the name of its signing key.</summary>
    public string Origin { get; init; } = "incidentledger.local/log";

    /// <summary>The database schema holding the ledger.</summary>
    public string Schema { get; init; } = "ledger";

    /// <summary>Where the embedded PostgreSQL cluster and the development signing key live when no connection string is configured.</summary>
    public string DataDirectory { get; init; } = ".ledger";

    /// <summary>The checkpoint signing key (PKCS#8 PEM file); LEDGER_CHECKPOINT_KEY overrides it.</summary>
    public string? CheckpointKeyFile { get; init; }

    /// <summary>Run the sealer, projections and outbox dispatcher in this node (any number of nodes may; leaders are elected).</summary>
    public bool RunWorkers { get; init; } = true;

    /// <summary>Subscribers the ledger POSTs its events to (Standard Webhooks signatures).</summary>
    public IReadOnlyList<Webhooks.WebhookSubscription> Webhooks { get; init; } = [];

    /// <summary>
    /// The pauses between a webhook delivery's attempts; after the last, the delivery is dead-lettered.
    /// None configured means <see cref="DefaultWebhookRetryDelays"/> (configuration binding adds to a
    /// list rather than replacing it, so the default is not the property's initial value).
    /// </summary>
    public IReadOnlyList<TimeSpan> WebhookRetryDelays { get; init; } = [];

    public static IReadOnlyList<TimeSpan> DefaultWebhookRetryDelays { get; } = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    public IReadOnlyList<TimeSpan> EffectiveWebhookRetryDelays => WebhookRetryDelays.Count > 0 ? WebhookRetryDelays : DefaultWebhookRetryDelays;

    /// <summary>How long a subscriber has to answer one delivery.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// The log's maximum merge delay: every filing receipt promises that a signed checkpoint will cover its event
    /// within this time of the event being recorded (docs/verification.md, "Filing receipts").
    /// </summary>
    public TimeSpan MaximumMergeDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Verifier keys (type 0x04, C2SP tlog-cosignature) of the witnesses whose cosignatures the ledger collects and serves with its checkpoints.</summary>
    public string[] Witnesses { get; init; } = [];

    /// <summary>Load the demo data set at start-up (<c>--demo</c> on the command line); loading it again writes nothing.</summary>
    public bool Demo { get; init; }
}
