using IncidentLedger.Api.Auth;
using IncidentLedger.Api.Hosting;
using IncidentLedger.Domain;
using IncidentLedger.GraphQL.Server;

namespace IncidentLedger.Api.GraphQL;

/// <summary>
/// What GraphiQL opens with at /graphql. With the demo loaded: one tab per role with operations on the demo's
/// incidents, and in the Development environment each tab carries a development token for its role (minted per page,
/// as the start-up log announces them). Elsewhere no tab holds a token.
/// </summary>
internal static class IdeExamples
{
    /// <summary>One example tab: the role it is written for (null: anyone), the operations and their variables.</summary>
    public sealed record Example(ActorRole? Role, string Query, string? Variables = null);

    public static GraphiQLOptions Options(IServiceProvider services, string defaultQuery) => new()
    {
        Title = "IncidentLedger",
        DefaultQuery = defaultQuery,
        Tabs = services.GetRequiredService<LedgerOptions>().Demo ? context => Tabs(context, defaultQuery) : null,
    };

    private static IReadOnlyList<GraphiQLTab> Tabs(HttpContext context, string defaultQuery)
    {
        var services = context.RequestServices;
        var tokens = services.GetRequiredService<IHostEnvironment>().IsDevelopment()
            ? services.GetRequiredService<LedgerTokenSettings>().DevelopmentTokensAt(services.GetService<TimeProvider>()?.GetUtcNow() ?? DateTimeOffset.UtcNow)
            : [];
        return
        [
            new GraphiQLTab(defaultQuery),
            .. Demo.Select(e => new GraphiQLTab(e.Query, e.Variables, tokens.FirstOrDefault(t => t.Actor.Role == e.Role) is { Token: { } token }
                ? $$"""{"Authorization": "Bearer {{token}}"}"""
                : null)),
        ];
    }

    /// <summary>The demo's examples, one tab per role.</summary>
    public static IReadOnlyList<Example> Demo { get; } =
    [
        new(ActorRole.Operator, """
            # Operator (Meridian Surgical, the provider of AuraSurg): file an incident, then follow it.
            # Outside Development, add an Authorization: Bearer <operator token> header.
            # Run FileIncident, then FollowIncident. Filing the same incidentId again answers RuleViolated:
            # pick a new UUID for another incident.
            mutation FileIncident($input: ReportIncidentInput!) {
              reportIncident(input: $input, idempotencyKey: "graphiql-example-1") {
                __typename
                ... on IncidentChanged { incidentId version alreadyApplied incident { status title reportedAt } }
                ... on VersionConflict { message currentVersion }
                ... on RuleViolated { code message remedy }
                ... on InvalidInput { field message }
                ... on NotPermitted { message }
              }
            }

            query FollowIncident($id: UUID!) {
              incident(id: $id) {
                title status version
                systems { name version provider { name } }
                timeline { version type summary recordedAt receipt { hash position } }
              }
              deadlines { incidentTitle jurisdiction status dueAt remainingSeconds }
            }
            """, """
            {
              "id": "6f1f7a8e-3c41-4d0b-9a52-2f0c9d6b1e01",
              "input": {
                "incidentId": "6f1f7a8e-3c41-4d0b-9a52-2f0c9d6b1e01",
                "title": "Instrument arm stalled during robot-assisted valve repair",
                "description": "The left instrument arm stopped responding for 40 seconds during a robot-assisted mitral valve repair; the surgeon completed the step manually and the patient recovered without harm.",
                "occurredAt": "2026-03-02T09:10:00Z",
                "becameAwareAt": "2026-03-02T11:00:00Z",
                "jurisdictions": ["GB"],
                "systems": [{
                  "systemId": "a91d30bf-d4a9-836b-9f97-6b3825ea2293",
                  "name": "AuraSurg",
                  "version": "3.2.1",
                  "providerId": "a22c4eca-1251-877d-94d9-1489b0aa9412",
                  "deployerIds": ["ad81d632-c3dd-8912-8049-6b3beaaa2763"],
                  "tier": "HIGH"
                }],
                "sector": "HEALTHCARE",
                "classification": { "level": "HAZARD", "euCriteria": [], "harmTypes": ["PHYSICAL"] },
                "peopleAffected": 1,
                "reporterRole": "PROVIDER",
                "causalLink": { "relation": "UNDETERMINED", "statement": "The arm's controller logged a watchdog reset; the cause is under investigation." }
              }
            }
            """),
        new(ActorRole.Regulator, """
            # Regulator (EU): the register filtered and searched, the reporting deadlines, and an adjudication.
            query Register {
              incidents(filter: { jurisdictions: ["EU"], levels: [SERIOUS_INCIDENT, DISASTER] }, search: "driver assistance", first: 20) {
                totalCount
                edges { cursor node { incidentId title jurisdictions level status reportedAt nextDueAt providers { name } } }
                pageInfo { hasNextPage endCursor }
              }
            }

            query Deadlines {
              deadlines(jurisdiction: "EU") { incidentTitle jurisdiction citation obligedParty status dueAt overdueSeconds remainingSeconds }
            }

            query Accountability {
              accountability { incidentTitle partyName role basis sharePercent standing state }
            }

            # Decide the shares of a disputed incident (take incidentId and the parties from Accountability).
            mutation Adjudicate($input: AdjudicateAccountabilityInput!) {
              adjudicateAccountability(input: $input) {
                __typename
                ... on IncidentChanged { incidentId version }
                ... on RuleViolated { code message remedy }
                ... on InvalidInput { field message }
                ... on NotPermitted { message }
                ... on VersionConflict { currentVersion }
              }
            }
            """, """
            {
              "input": {
                "incidentId": "91e07f4d-7769-8378-baf7-b74f37b4eff1",
                "adjudicationId": "0b8e3c52-9d17-4f6a-8e21-7c4d5a6b3f10",
                "forum": "REGULATOR",
                "decisionReference": "GraphiQL example decision 1",
                "shares": [{ "partyId": "b24d7647-0dc5-8493-8b30-d804d3ab8767", "role": "PROVIDER", "basis": "DESIGN_DEFECT", "sharePercent": 100 }],
                "rationale": "An example adjudication from the IDE."
              }
            }
            """),
        new(ActorRole.Insurer, """
            # Insurer (Harbour Mutual): the exposure of the parties, systems and policies its policies cover.
            query Exposure {
              exposure {
                parties { name incidents openIncidents severityWeightedExposure recordedLosses { amount currency } compensationPaid { amount currency } }
                systems { name incidents }
                policies { policyNumber inForce incidents openIncidents incidentIds remainingLimit { amount currency } }
                accumulations { foundationModelName systems incidents }
              }
            }
            """),
        new(ActorRole.Auditor, """
            # Auditor: the signed checkpoint and the keys to check it with, then the inclusion proof of one event
            # (an event id from a filing receipt or from the sealedEvents subscription).
            query Checkpoint {
              checkpoint { origin size rootHash issuedAt note cosignatures { witness cosignedAt } }
              verifierKeys
            }

            query InclusionProof($eventId: UUID!) {
              inclusionProof(eventId: $eventId) {
                entry { position eventId streamId version eventHash sealedAt }
                treeSize leafHash path
                checkpoint { size rootHash }
              }
            }
            """, """
            { "eventId": "00000000-0000-0000-0000-000000000000" }
            """),
    ];
}
