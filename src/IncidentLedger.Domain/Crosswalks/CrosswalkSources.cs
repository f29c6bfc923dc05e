using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Crosswalks;

/// <summary>What a crosswalk field is read from: an incident and the rest of the ledger (organisation names, system profiles).</summary>
public sealed record CrosswalkContext(IncidentView Incident, LedgerView View)
{
    public IncidentFile File => Incident.File;

    public IReadOnlyList<AiSystemProfile> Profiles => File.Systems.Select(s => View.SystemProfile(s.SystemId)).OfType<AiSystemProfile>().ToArray();
}

/// <summary>
/// The ledger fields crosswalk definitions can name. Each returns the field's rendered value, or
/// null when the ledger does not hold it — which is what the completeness score counts.
/// </summary>
public static class CrosswalkSources
{
    public static IReadOnlyDictionary<string, Func<CrosswalkContext, string?>> All { get; } = new Dictionary<string, Func<CrosswalkContext, string?>>(StringComparer.Ordinal)
    {
        ["incident.id"] = c => c.File.Id.ToString(),
        ["incident.title"] = c => c.File.Title,
        ["incident.description"] = c => c.File.Description,
        ["incident.occurred_at"] = c => Rule.Stamp(c.File.OccurredAt),
        ["incident.became_aware_at"] = c => Rule.Stamp(c.File.BecameAwareAt),
        ["incident.reported_at"] = c => Rule.Stamp(c.File.ReportedAt),
        ["incident.reported_date"] = c => c.File.ReportedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["incident.jurisdictions"] = c => Join(c.File.Jurisdictions),
        ["incident.eu_member_states"] = c => Join(c.File.Jurisdictions.Where(j => Regions.Covers("EU", j) || j == "EU")),
        ["incident.reporter_role"] = c => Codes.Of(c.File.ReporterRole),
        ["incident.reporting_organisation"] = c => c.View.NameOf(c.File.ReportingOrganisationId),
        ["incident.report_type"] = c => Codes.Of(c.File.Amendments.LastOrDefault()?.ReportType ?? c.File.Original.ReportType),
        ["incident.level"] = c => Codes.Of(c.File.Classification.Level),
        ["incident.harm_types"] = c => Join(c.File.Classification.HarmTypes.Select(Codes.Of)),
        ["incident.eu_criteria"] = c => Join(c.File.Classification.EuCriteria.Select(Codes.Of)),
        ["incident.severity_grade"] = c => c.File.Severity?.ToString(),
        ["incident.people_affected"] = c => c.File.PeopleAffected?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["incident.sector"] = c => Codes.Of(c.File.Sector),
        ["losses.summary"] = c => LossSummary(c.File),
        ["compensation.summary"] = c => Join(c.File.Payments.Select(p => $"{p.Amount} by {Codes.Of(p.PayerKind)} to {p.PaidTo}")),
        ["risk.scope"] = c => Join(c.File.RiskAssessments.Select(r => Codes.Of(r.Scope)).Distinct()),
        ["risk.assessments"] = c => Join(c.File.RiskAssessments.Select(r => $"{Codes.Of(r.Framework)}: {Codes.Of(r.Likelihood)} × {Codes.Of(r.Impact)}")),
        ["system.names_versions"] = c => Join(c.File.Systems.Select(s => $"{s.Name} {s.Version}")),
        ["system.providers"] = c => Join(c.File.Systems.Select(s => c.View.NameOf(s.ProviderId)).Distinct()),
        ["system.provider_countries"] = c => Join(c.File.Systems.Select(s => c.View.Organisations.GetValueOrDefault(s.ProviderId)?.Registration.Country).OfType<string>().Distinct()),
        ["system.developers"] = c => Join(c.Profiles.Select(p => p.DeveloperId).OfType<Guid>().Select(c.View.NameOf).Distinct()),
        ["system.deployers"] = c => Join(c.File.Systems.SelectMany(s => s.DeployerIds).Distinct().Select(c.View.NameOf)),
        ["system.intended_purpose"] = c => Join(c.Profiles.Select(p => p.IntendedPurpose)),
        ["system.foundation_model"] = c => Join(c.File.Systems.Select(s => s.FoundationModelId).OfType<Guid>().Distinct().Select(id => c.View.SystemProfile(id)?.Name ?? id.ToString())),
        ["system.tiers"] = c => Join(c.File.Systems.Select(s => Codes.Of(s.Tier)).Distinct()),
        ["system.autonomy"] = c => Join(c.Profiles.Select(p => Codes.Of(p.Autonomy)).Distinct()),
        ["system.eu_database_id"] = c => Join(c.Profiles.SelectMany(p => p.Registrations).Where(r => r.Scheme == RegistrationScheme.EuDatabase).Select(r => r.Value)),
        ["causal.statement"] = c => c.File.CausalLink.Statement,
        ["causal.relation"] = c => Codes.Of(c.File.CausalLink.Relation),
        ["causal.lifecycle_stage"] = c => c.File.CausalLink.OriginStage is { } stage ? Codes.Of(stage) : null,
        ["causal.risk_origin"] = c => c.File.CausalLink.RiskOrigin is { } origin ? Codes.Of(origin) : null,
        ["causal.data_issue"] = c => c.File.CausalLink.OriginStage == LifecycleStage.Data || c.File.CurrentShares.Any(s => s.Basis == AccountabilityBasis.DataDefect)
            ? $"data defect: {c.File.CausalLink.Statement}"
            : null,
        ["corrective.actions"] = c => Join(c.File.CorrectiveActions.Select(a => $"{Codes.Of(a.Kind)} ({Codes.Of(a.Status)}): {a.Description}")),
        ["accountability.parties"] = c => Join(c.File.CurrentShares.Select(s => $"{c.View.NameOf(s.PartyId)} as {Codes.Of(s.Role)} {Rule.Percent(s.SharePercent)} ({(s.Adjudicated ? "adjudicated" : Codes.Of(s.Status ?? AssignmentStatus.Pending))})")),
        ["notifications.authorities"] = c => Join(c.File.Notifications.Where(n => n.Recipient != Recipient.Provider).Select(n => $"{n.RecipientName} ({n.Jurisdiction}, {Codes.Of(n.ReportType)})")),
        ["notifications.msa"] = c => Join(c.File.Notifications.Where(n => n.Recipient == Recipient.MarketSurveillanceAuthority).Select(n => $"{n.RecipientName} ({n.Jurisdiction})").Distinct()),
        ["notifications.msa_reference"] = c => Join(c.File.Notifications.Where(n => n.Recipient == Recipient.MarketSurveillanceAuthority).Select(n => n.Reference).OfType<string>().Distinct()),
        ["notifications.others"] = c => Join(c.File.Notifications.Where(n => n.Recipient != Recipient.MarketSurveillanceAuthority).Select(n => n.Recipient == Recipient.Provider ? $"provider {c.View.NameOf(n.ProviderId!.Value)}" : $"{n.RecipientName} ({Codes.Of(n.Recipient)})")),
        ["clocks.summary"] = c => Join(c.File.Clocks.Values.Select(k => $"{k.ClockId} {Codes.Of(k.Status)} (due {Rule.Stamp(k.DueAt)})")),
        ["evidence.hashes"] = c => Join(c.File.Evidence.Select(e => $"sha256:{e.Sha256} ({Codes.Of(e.Kind)})")),
        ["links.external"] = c => Join(c.File.Links.Where(l => l.Kind == LinkKind.SameAsExternal).Select(l => $"{Codes.Of(l.Database!.Value)}: {l.ExternalId ?? l.Url}")),
        ["links.references"] = c => Join(c.File.Links.Select(l => l.Url ?? l.ExternalId ?? l.TargetIncidentId?.ToString()).OfType<string>()),
        ["metrics.none"] = _ => null,
        ["avid.sep_view"] = c => Join(AvidMapping.SepView(c.File)),
        ["avid.lifecycle_view"] = c => Join(AvidMapping.LifecycleView(c.File)),
        ["avid.risk_domain"] = c => Join(AvidMapping.RiskDomains(c.File)),
        ["avid.taxonomy_version"] = _ => TaxonomyCatalogue.Default["avid_sep"].Version,
    };

    private static string? Join(IEnumerable<string> values)
    {
        var list = values.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
        return list.Length == 0 ? null : string.Join("; ", list);
    }

    private static string? LossSummary(IncidentFile file)
    {
        var losses = file.CurrentLosses.ToArray();
        if (losses.Length == 0)
        {
            return null;
        }

        var money = LiabilityExposure.Totals(losses.SelectMany(l => new[] { l.FinancialLoss, l.PropertyDamage }).OfType<Money>());
        return $"{losses.Sum(l => l.Deaths)} deaths, {losses.Sum(l => l.Injuries)} injuries{(money.Count == 0 ? "" : ", " + string.Join(", ", money))}";
    }
}

/// <summary>Maps ledger classifications to the AVID taxonomy through the taxonomy data's mappings.</summary>
public static class AvidMapping
{
    public static IReadOnlyList<string> SepView(IncidentFile file)
    {
        var taxonomies = TaxonomyCatalogue.Default;
        return file.Classification.HarmTypes.SelectMany(h => taxonomies.Term(h).MappedTo("avid_sep"))
            .Concat(file.CurrentShares.SelectMany(s => taxonomies.Term(s.Basis).MappedTo("avid_sep")))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public static IReadOnlyList<string> LifecycleView(IncidentFile file) =>
        file.CausalLink.OriginStage is { } stage ? TaxonomyCatalogue.Default.Term(stage).MappedTo("avid_lifecycle").Order(StringComparer.Ordinal).ToArray() : [];

    public static IReadOnlyList<string> RiskDomains(IncidentFile file)
    {
        var sep = TaxonomyCatalogue.Default["avid_sep"];
        return SepView(file).SelectMany(code => sep.Term(code).MappedTo("avid_domain")).Distinct().Order(StringComparer.Ordinal).ToArray();
    }
}
