using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Tests.ReadModels;

public class ReadModelTests
{
    private static Money Eur(decimal amount) => new(amount, "EUR");

    [Fact]
    public void The_timeline_lists_every_event_of_an_incident_with_actor_and_receipt()
    {
        var incident = DemoLedger.Incident("incident:driver-assistance");
        var recorded = DemoLedger.Recorded.Where(r => r.StreamId == incident.IncidentId).ToArray();
        Assert.Equal(recorded.Select(r => (r.Position, r.Version, r.EventName)), incident.Timeline.Select(t => (t.Position, t.Version, t.EventName)));
        var recomputed = incident.Timeline.Single(t => t.EventName == "incident.reporting_clock_recomputed");
        Assert.Equal(("marktueberwachung@kba.example", "regulator"), (recomputed.ActorSubject, recomputed.ActorRole));
        Assert.Contains("eu-ai-act/art73/death", recomputed.Summary, StringComparison.Ordinal);
        Assert.Equal(recorded.Length, incident.Version);
    }

    [Fact]
    public void Every_event_has_a_readable_summary() =>
        Assert.All(DemoLedger.Recorded, r => Assert.NotEqual(r.Event.GetType().Name, EventSummaries.Describe(r.Event)));

    [Fact]
    public void An_event_delivered_twice_is_applied_once()
    {
        var once = LedgerView.Fold(DemoLedger.Recorded);
        var twice = LedgerView.Fold(DemoLedger.Recorded.Concat(DemoLedger.Recorded.Take(40)));
        Assert.Equal(DomainJson.Serialize(once), DomainJson.Serialize(twice));
    }

    [Fact]
    public void The_register_filters_by_region_harm_and_text_and_pages_with_cursors()
    {
        var rows = Register.Rows(DemoLedger.View);
        Assert.Equal(9, rows.Count);
        var eu = Register.Query(rows, new RegisterFilter(Jurisdictions: ["EU"]), RegisterSort.ReportedAtAsc);
        Assert.Equal(["incident:driver-assistance", "incident:voice-assistant", "incident:compute-hijack", "incident:stop-sign", "incident:dismissals"], eu.Rows.Select(Key));
        Assert.Equal(["incident:bank-run"], Register.Query(rows, new RegisterFilter(HarmTypes: [HarmType.CriticalInfrastructure])).Rows.Select(Key));
        Assert.Equal(["incident:face-swap"], Register.Query(rows, new RegisterFilter(Text: "VIDEO call")).Rows.Select(Key));
        Assert.Equal(["incident:face-swap", "incident:bank-run"], Register.Query(rows, new RegisterFilter(HasBreachedClock: true), RegisterSort.ReportedAtAsc).Rows.Select(Key));

        var first = Register.Query(rows, new RegisterFilter(), RegisterSort.ReportedAtAsc, first: 4);
        var second = Register.Query(rows, new RegisterFilter(), RegisterSort.ReportedAtAsc, first.EndCursor, 4);
        var third = Register.Query(rows, new RegisterFilter(), RegisterSort.ReportedAtAsc, second.EndCursor, 4);
        Assert.Equal((9, true, true, false), (first.TotalCount, first.HasNextPage, second.HasNextPage, third.HasNextPage));
        Assert.Equal(rows.OrderBy(r => r.ReportedAt).Select(r => r.IncidentId), first.Rows.Concat(second.Rows).Concat(third.Rows).Select(r => r.IncidentId));
        Assert.Equal(new Dictionary<IncidentStatus, int> { [IncidentStatus.Open] = 6, [IncidentStatus.Closed] = 3 }, first.CountsByStatus);
    }

    [Fact]
    public void The_register_refuses_a_cursor_it_did_not_issue() =>
        Assert.Throws<ArgumentException>(() => Register.Query(Register.Rows(DemoLedger.View), new RegisterFilter(), after: "bm9wZQ=="));

    [Fact]
    public void A_register_row_names_providers_and_counts_harm()
    {
        var row = Register.Rows(DemoLedger.View).Single(r => r.IncidentId == DemoLedger.Id("incident:driver-assistance"));
        Assert.Equal(["Voltaro Automotive AG"], row.ProviderNames);
        Assert.Equal((1, 1, 0, 0), (row.Deaths, row.Injuries, row.RunningClocks, row.BreachedClocks));
        Assert.Equal(OecdLevel.SeriousIncident, row.Level);
        Assert.Contains("voltaro pilot", row.SearchText, StringComparison.Ordinal);
    }

    [Fact]
    public void The_accountability_matrix_shows_dispute_state_per_party()
    {
        var companion = AccountabilityMatrix.For(DemoLedger.Incident("incident:companion-chatbot"), DemoLedger.View);
        Assert.Equal([("Kindred AI Inc.", 60m, "disputed"), ("Lumen Foundation Models Inc.", 20m, "disputed")], companion.Select(c => (c.PartyName, c.SharePercent, c.State)));
        var surgery = AccountabilityMatrix.For(DemoLedger.Incident("incident:surgery"), DemoLedger.View);
        Assert.Equal([("Northgate Hospitals NHS Foundation Trust", 75m), ("Meridian Surgical Robotics Ltd", 25m)], surgery.Select(c => (c.PartyName, c.SharePercent)));
        Assert.All(surgery, c => Assert.Equal("adjudicated_court", c.State));
        var hijack = AccountabilityMatrix.For(DemoLedger.Incident("incident:compute-hijack"), DemoLedger.View);
        Assert.Equal([("Helix Frontier AI SAS", 40m, "acknowledged"), ("Nimbus Cloud SE", 0m, "withdrawn")], hijack.Select(c => (c.PartyName, c.SharePercent, c.State)));
        var lumen = AccountabilityMatrix.ByParty(DemoLedger.View).Single(p => p.PartyName == "Lumen Foundation Models Inc.");
        Assert.Equal((1, 20m, 1), (lumen.Incidents, lumen.TotalSharePercent, lumen.Disputed));
    }

    [Fact]
    public void Liability_exposure_per_policy_applies_the_share_retention_and_limit()
    {
        var report = LiabilityExposure.Compute(DemoLedger.View, DemoLedger.Data.End);
        var voltaro = report.Policies.Single(p => p.PolicyId == DemoLedger.Id("policy:rheinland-voltaro"));
        Assert.Equal(2, voltaro.Incidents);
        Assert.Equal(2, ExposureTally.Of(DemoLedger.View).ExposureIncidents.Count(x => x.ExposureId == voltaro.PolicyId));
        Assert.Equal((2, 1.8m), (voltaro.OpenIncidents, voltaro.SeverityWeightedExposure));
        Assert.Equal((Eur(1_491_000m), Eur(1_241_000m)), (voltaro.AttributedLosses, voltaro.ExpectedRecoverable));
        Assert.Equal((Eur(1_200_000m), Eur(23_800_000m)), (voltaro.PaidUnderPolicy, voltaro.RemainingLimit));
        Assert.True(voltaro.InForce);

        var meridian = report.Policies.Single(p => p.PolicyId == DemoLedger.Id("policy:harbour-meridian"));
        Assert.Equal((new Money(137_500m, "GBP"), new Money(87_500m, "GBP"), new Money(400_000m, "GBP")), (meridian.AttributedLosses, meridian.ExpectedRecoverable, meridian.PaidUnderPolicy));
        Assert.False(report.Policies.Single(p => p.PolicyId == DemoLedger.Id("policy:harbour-sonora")).InForce);
    }

    [Fact]
    public void Liability_exposure_per_party_weights_open_incidents_by_severity_and_share()
    {
        var report = LiabilityExposure.Compute(DemoLedger.View, DemoLedger.Data.End);
        var fenghua = report.Parties.Single(p => p.OrganisationId == DemoLedger.Id("org:fenghua"));
        Assert.Equal((1, 1, 0.75m), (fenghua.Incidents, fenghua.OpenIncidents, fenghua.SeverityWeightedExposure));
        Assert.Equal([new Money(3_000_000m, "CNY")], fenghua.AttributedLosses);
        Assert.True(Assert.Single(fenghua.Shares).Adjudicated);
        var xingyun = report.Parties.Single(p => p.OrganisationId == DemoLedger.Id("org:xingyun"));
        Assert.Equal([new Money(270_000m, "CNY")], xingyun.CompensationPaid);
        Assert.Equal(0m, xingyun.SeverityWeightedExposure);
    }

    [Fact]
    public void Accumulation_gathers_every_system_built_on_the_same_foundation_model()
    {
        var report = LiabilityExposure.Compute(DemoLedger.View, DemoLedger.Data.End);
        var polymath = Assert.Single(report.Accumulations);
        Assert.Equal("Polymath-7", polymath.FoundationModelName);
        Assert.Equal(new[] { "sys:polymath", "sys:sonora-echo", "sys:kindred", "sys:quicknews" }.Select(DemoLedger.Id).Order(), polymath.Systems.Order());
        Assert.Equal(new[] { "policy:pacific-kindred", "policy:pacific-lumen", "policy:harbour-sonora" }.Select(DemoLedger.Id).Order(), polymath.Policies.Order());
        Assert.Equal(new[] { "org:harbour", "org:pacific" }.Select(DemoLedger.Id).Order(), polymath.Insurers);
        Assert.Equal((3, 2, 6m), (polymath.Incidents, polymath.OpenIncidents, polymath.SeverityWeight));
        Assert.Equal([new Money(12_000_000m, "CNY")], polymath.RecordedLosses);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    public void Exposure_recomputed_only_for_what_each_batch_affects_is_the_whole_report(int largestBatch)
    {
        var random = new Random(largestBatch);
        var batches = new List<Recorded[]>();
        for (var at = 0; at < DemoLedger.Recorded.Count;)
        {
            batches.Add([.. DemoLedger.Recorded.Skip(at).Take(random.Next(1, largestBatch + 1))]);
            at += batches[^1].Length;
        }

        Assert.True(AssertScopedBatchesGiveTheWholeReport(batches) > 0, "some incidents moved in or out of a policy or accumulation in a batch the tally carried");
    }

    [Fact]
    public void A_view_folded_without_timelines_gives_every_read_model_what_the_whole_view_gives()
    {
        var timed = DemoLedger.View;
        var untimed = DemoLedger.Recorded.Aggregate(LedgerView.WithoutTimelines, LedgerView.Apply);
        Assert.All(untimed.Incidents.Values, i => Assert.Empty(i.Timeline));
        Assert.Equal(timed.Incidents.Values.Select(i => (i.IncidentId, i.Version)), untimed.Incidents.Values.Select(i => (i.IncidentId, i.Version)));
        Assert.Equal(DomainJson.Serialize(Register.Rows(timed)), DomainJson.Serialize(Register.Rows(untimed)));
        Assert.Equal(DomainJson.Serialize(timed.ReportedIncidents.SelectMany(i => AccountabilityMatrix.For(i, timed))), DomainJson.Serialize(untimed.ReportedIncidents.SelectMany(i => AccountabilityMatrix.For(i, untimed))));
        Assert.Equal(DomainJson.Serialize(DeadlineBoard.Compute(timed, DemoLedger.Data.End)), DomainJson.Serialize(DeadlineBoard.Compute(untimed, DemoLedger.Data.End)));
        Assert.Equal(DomainJson.Serialize(IncidentStatistics.Compute(timed)), DomainJson.Serialize(IncidentStatistics.Compute(untimed)));
        Assert.Equal(DomainJson.Serialize(LiabilityExposure.Compute(timed, DemoLedger.Data.End)), DomainJson.Serialize(LiabilityExposure.Compute(untimed, DemoLedger.Data.End)));
    }

    [Fact]
    public void An_exact_sum_with_addends_taken_back_is_the_sum_of_the_rest_at_their_scale()
    {
        var sum = new ExactSum();
        sum.Add(2m);
        sum.Add(1.505m);
        sum.Add(0.5m);
        Assert.Equal("4.005", sum.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sum.Add(1.505m, -1);
        Assert.Equal("2.5", sum.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sum.Add(2m, -1);
        sum.Add(0.5m, -1);
        Assert.Equal((0, "0"), (sum.Count, sum.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_system_registered_on_a_model_registered_later_takes_the_models_root_when_it_arrives()
    {
        // The domain does not require a foundation model to be registered first: "assistant" names "base" before "base"
        // exists (its root is "base"), then "base" is registered on Polymath-7, which moves the assistant's root too.
        var (assistant, model) = (Guid.NewGuid(), Guid.NewGuid());
        var onBase = AiSystems.AiSystemTests.Register(id: assistant, foundation: model, name: "Assistant");
        var onPolymath = AiSystems.AiSystemTests.Register(id: model, foundation: DemoLedger.Id("sys:polymath"), name: "Base");
        var last = DemoLedger.Recorded[^1];
        Recorded RecordedAs(RegisterAiSystem command, int offset) => new(
            last.Position + offset, command.SystemId, StreamTypes.AiSystem, 1, AiSystemDecider.Decide(command, AiSystemDecider.Initial).Single(),
            last.RecordedAt.AddMinutes(offset), "provider@example.test", command.ProviderId, "operator", "");

        AssertScopedBatchesGiveTheWholeReport([[.. DemoLedger.Recorded], [RecordedAs(onBase, 1)], [RecordedAs(onPolymath, 2)]]);
    }

    [Fact]
    public void A_files_answers_about_one_party_agree_with_its_lists_at_every_version()
    {
        Guid[] parties = [.. DemoLedger.Data.Ids.Where(k => k.Key.StartsWith("org:", StringComparison.Ordinal)).Select(k => k.Value), Guid.NewGuid()];
        var view = LedgerView.Empty;
        var files = 0;
        foreach (var recorded in DemoLedger.Recorded)
        {
            view = LedgerView.Apply(view, recorded);
            if (view.Incidents.GetValueOrDefault(recorded.StreamId)?.State.FileOrDefault is not { } file)
            {
                continue;
            }

            files++;
            Assert.Equal(file.CurrentLosses.SelectMany(l => new[] { l.FinancialLoss, l.PropertyDamage }).OfType<Money>(), file.CurrentLossAmounts);
            foreach (var party in parties)
            {
                Assert.Equal(file.CurrentShares.Where(s => s.PartyId == party).Sum(s => s.SharePercent), file.ShareOf(party));
                Assert.Equal(file.CurrentShares.Any(s => s.PartyId == party), file.HoldsShare(party));
                Assert.Equal(file.ExposedParties.Contains(party), file.Exposes(party));
            }
        }

        Assert.True(files > 50, "the demo's incidents go through many versions");
    }

    /// <summary>
    /// Folds the batches in turn, carrying one <see cref="ExposureTally"/> through them, and after each compares with the
    /// whole report of a fresh tally: the carried tally's whole report, and the report built by recomputing only the
    /// exposures <see cref="LiabilityExposure.Affected"/> names and keeping the rest from before; and the incidents of the
    /// policies and accumulations, kept by applying the tally's moves, with those of a fresh tally.
    /// </summary>
    /// <returns>How many incidents moved in or out of a policy or accumulation in a batch the tally carried.</returns>
    private static int AssertScopedBatchesGiveTheWholeReport(IEnumerable<IReadOnlyList<Recorded>> batches)
    {
        var view = LedgerView.Empty;
        var tally = ExposureTally.Of(view);
        var report = LiabilityExposure.Compute(view, DateTimeOffset.UnixEpoch);
        var listed = new SortedSet<string>(StringComparer.Ordinal);
        var moved = 0;
        foreach (var batch in batches)
        {
            var after = batch.Aggregate(view, LedgerView.Apply);
            var asOf = batch[^1].RecordedAt;
            var touched = batch.Select(r => r.StreamId).ToHashSet();
            var carried = tally;
            tally = tally.Apply(view, after, touched);
            if (ReferenceEquals(tally, carried))
            {
                foreach (var (incident, entered) in tally.TakeMoves())
                {
                    Assert.True(entered ? listed.Add(incident.Id) : listed.Remove(incident.Id), $"{incident.Id} moved {(entered ? "in" : "out")} twice");
                    moved++;
                }
            }
            else
            {
                listed = new SortedSet<string>(tally.ExposureIncidents.Select(x => x.Id), StringComparer.Ordinal);
            }

            Assert.Equal(ExposureTally.Of(after).ExposureIncidents.Select(x => x.Id).Order(StringComparer.Ordinal), listed);
            var whole = DomainJson.Serialize(LiabilityExposure.Compute(after, asOf));
            Assert.Equal(whole, DomainJson.Serialize(tally.Report(after, asOf, ExposureScope.Everything)));
            var scope = LiabilityExposure.Affected(view, after, touched);
            var part = tally.Report(after, asOf, scope);
            report = new ExposureReport(
                asOf,
                [.. Merge(report.Parties, part.Parties, scope.Parties, p => p.OrganisationId)],
                [.. Merge(report.Systems, part.Systems, scope.Systems, s => s.SystemId)],
                part.Policies,
                [.. Merge(report.Accumulations, part.Accumulations, scope.Roots, a => a.FoundationModelId)]);
            Assert.Equal(whole, DomainJson.Serialize(report));
            view = after;
        }

        return moved;
    }

    /// <summary>The earlier exposures outside the scope, with the scope's recomputed ones, in id order.</summary>
    private static IEnumerable<T> Merge<T>(IEnumerable<T> earlier, IEnumerable<T> recomputed, IReadOnlySet<Guid>? scope, Func<T, Guid> id) =>
        earlier.Where(e => scope is not null && !scope.Contains(id(e))).Concat(recomputed).OrderBy(id);

    [Fact]
    public void Exposure_as_of_an_earlier_date_shows_what_was_known_then()
    {
        var early = LiabilityExposure.AsOf(DemoLedger.Recorded, DemoLedger.Day(50));
        var voltaro = early.Policies.Single(p => p.PolicyId == DemoLedger.Id("policy:rheinland-voltaro"));
        Assert.Equal(Eur(20_000_000m), voltaro.RemainingLimit);
        Assert.Equal(Eur(0m), voltaro.PaidUnderPolicy);
        Assert.Equal(Eur(992_500m), voltaro.AttributedLosses);
        Assert.Equal(Eur(742_500m), voltaro.ExpectedRecoverable);
        Assert.Equal(1.5m, voltaro.SeverityWeightedExposure);
        Assert.DoesNotContain(early.Parties, p => p.OrganisationId == DemoLedger.Id("org:fenghua"));
    }

    [Fact]
    public void The_deadline_board_puts_overdue_clocks_first()
    {
        var board = DeadlineBoard.Compute(DemoLedger.View, DemoLedger.Day(190));
        Assert.Equal(ClockStatus.Breached, board[0].Status);
        Assert.Equal("eu-ai-act/art73", board[0].ClockId);
        Assert.False(board[0].BreachRecorded);
        Assert.True(board[0].OverdueBy > TimeSpan.Zero);
        Assert.Null(board[0].NotifiedAt);
        var faceSwap = board.Single(r => r.IncidentId == DemoLedger.Id("incident:face-swap"));
        Assert.Equal((ClockStatus.Breached, true, DemoLedger.Day(124, 10)), (faceSwap.Status, faceSwap.BreachRecorded, faceSwap.NotifiedAt));
        Assert.Equal(DemoLedger.Day(124, 10) - faceSwap.DueAt, faceSwap.OverdueBy);
        Assert.Equal([ClockStatus.Breached, ClockStatus.Breached, ClockStatus.Breached, ClockStatus.Met, ClockStatus.Met, ClockStatus.Met, ClockStatus.Met, ClockStatus.Withdrawn], board.Select(r => r.Status));
        var running = DeadlineBoard.Compute(DemoLedger.View, DemoLedger.Data.End).Single(r => r.Status == ClockStatus.Running);
        Assert.Equal(running.DueAt - DemoLedger.Data.End, running.Remaining);
    }

    [Fact]
    public void Statistics_count_incidents_by_month_sector_harm_and_level()
    {
        var buckets = IncidentStatistics.Compute(DemoLedger.View);
        Assert.Equal(DemoLedger.View.ReportedIncidents.Sum(i => i.File.Classification.HarmTypes.Count), buckets.Sum(b => b.Count));
        Assert.Contains(new StatisticsBucket("2025-06", Sector.Employment, HarmType.NonDiscrimination, OecdLevel.SeriousIncident, 1), buckets);
        Assert.Equal(buckets.OrderBy(b => b.Month, StringComparer.Ordinal).ThenBy(b => b.Sector).ThenBy(b => b.HarmType).ThenBy(b => b.Level), buckets);
    }

    [Fact]
    public void The_ledger_view_keeps_organisations_systems_and_policies()
    {
        var view = DemoLedger.View;
        Assert.Equal("Metricor Workforce Analytics Ltd", view.NameOf(DemoLedger.Id("org:metricor")));
        Assert.Equal(EuRiskTier.GpaiSystemicRisk, view.SystemProfile(DemoLedger.Id("sys:polymath"))!.Tier);
        Assert.IsType<Domain.AiSystems.AiSystem.Withdrawn>(view.Systems[DemoLedger.Id("sys:huanlian")]);
        Assert.Equal(["4.0", "4.1", "4.2"], view.SystemProfile(DemoLedger.Id("sys:voltaro-pilot"))!.Versions.Select(v => v.Version));
        Assert.DoesNotContain(view.SystemProfile(DemoLedger.Id("sys:polymath"))!.Parties, p => p.OrganisationId == DemoLedger.Id("org:fenghua"));
        Assert.IsType<Domain.Policies.Policy.Lapsed>(view.Policies[DemoLedger.Id("policy:harbour-sonora")]);
    }

    private static string Key(RegisterRow row) => DemoLedger.Data.Ids.Single(kv => kv.Value == row.IncidentId).Key;
}
