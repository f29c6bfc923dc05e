using FsCheck;
using FsCheck.Fluent;
using IncidentLedger.Domain.Deadlines;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.ReadModels;

namespace IncidentLedger.Domain.Tests.Properties;

public class InvariantTests
{
    [Fact]
    public void Accountability_shares_never_exceed_100_percent() =>
        Prop.ForAll(Scenarios.Arbitrary, scenario =>
        {
            var worst = 0m;
            scenario.Run((state, _) =>
            {
                var file = state.FileOrDefault!;
                worst = Math.Max(worst, Math.Max(file.ActiveShareTotal, file.CurrentShares.Sum(s => s.SharePercent)));
            });
            return worst <= 100m;
        }).Check(Scenarios.Config);

    [Fact]
    public void Generated_histories_do_reach_the_share_limit()
    {
        // Guards the property above against a generator that never gets near 100%.
        var reached = Gen.Sample(Scenarios.Scenario(40), 200).Count(s =>
        {
            var peak = 0m;
            s.Run((state, _) => peak = Math.Max(peak, state.FileOrDefault!.ActiveShareTotal));
            return peak >= 90m;
        });
        Assert.True(reached > 10, $"only {reached} of 200 generated histories brought active shares to 90% or more");
    }

    [Fact]
    public void A_reporting_clock_is_never_both_met_and_breached() =>
        Prop.ForAll(Scenarios.Arbitrary, scenario =>
        {
            var consistent = true;
            scenario.Run((state, _) => consistent &= state.FileOrDefault!.Clocks.Values.All(Consistent));
            var events = scenario.Run();
            foreach (var clock in events.OfType<ReportingClockStarted>().Select(e => e.ClockId).Distinct())
            {
                // Between one start of a clock and the next, at most one of met / breached / withdrawn.
                var outcomes = 0;
                foreach (var e in events)
                {
                    switch (e)
                    {
                        case ReportingClockStarted s when s.ClockId == clock:
                            outcomes = 0;
                            break;
                        case ReportingClockMet m when m.ClockId == clock:
                        case ReportingClockBreached b when b.ClockId == clock:
                        case ReportingClockWithdrawn w when w.ClockId == clock:
                            consistent &= ++outcomes == 1;
                            break;
                    }
                }
            }

            return consistent;
        }).Check(Scenarios.Config);

    private static bool Consistent(ReportingClock clock) => clock.Status switch
    {
        ClockStatus.Met => clock.MetAt <= clock.DueAt && clock.BreachedAt is null,
        ClockStatus.Breached => clock.MetAt is null && clock.BreachedAt > clock.DueAt && (clock.NotifiedAt is null || clock.NotifiedAt > clock.DueAt),
        ClockStatus.Running => clock.MetAt is null && clock.BreachedAt is null,
        _ => clock.MetAt is null && clock.BreachedAt is null,
    };

    [Fact]
    public void Generated_histories_meet_breach_withdraw_and_recompute_clocks_and_exercise_disputes()
    {
        // Unseeded: over 300 histories disputes average about 13 and can fall under 5; over 1,000, about 43.
        var counts = Gen.Sample(Scenarios.Scenario(), 1000).SelectMany(s => s.Run()).GroupBy(e => e.GetType()).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(
            new[] { typeof(ReportingClockMet), typeof(ReportingClockBreached), typeof(ReportingClockWithdrawn), typeof(ReportingClockRecomputed), typeof(AccountabilityDisputed), typeof(AccountabilityAcknowledged), typeof(AccountabilityWithdrawn) },
            type => Assert.True(counts.GetValueOrDefault(type) >= 5, $"{type.Name} occurred {counts.GetValueOrDefault(type)} times in 1,000 generated histories"));
    }

    [Fact]
    public void Replaying_the_same_events_gives_the_same_state() =>
        Prop.ForAll(Scenarios.Arbitrary, scenario =>
        {
            Incident live = IncidentDecider.Initial;
            var events = scenario.Run((state, _) => live = state);
            var replayed = F.Fold(events);
            var stored = events.Select(e => (IIncidentEvent)DomainJson.Deserialize(DomainJson.Serialize(e), e.GetType())).ToArray();
            return DomainJson.Serialize(live) == DomainJson.Serialize(replayed)
                && DomainJson.Serialize(replayed) == DomainJson.Serialize(F.Fold(stored));
        }).Check(Scenarios.Config);

    [Fact]
    public void Folding_the_log_is_deterministic_and_unaffected_by_batches_delivered_again() =>
        Prop.ForAll(
            (from cut in Gen.Choose(0, DemoLedger.Recorded.Count)
             from batch in Gen.Choose(1, 25)
             from overlap in Gen.Choose(0, 5)
             select (Cut: cut, Batch: batch, Overlap: overlap)).ToArbitrary(),
            input =>
            {
                var log = DemoLedger.Recorded.Take(input.Cut).ToArray();
                var once = LedgerView.Fold(log);
                var again = LedgerView.Fold(log);

                // A runner that resumes after a crash delivers the tail of the previous batch again.
                var redelivered = LedgerView.Empty;
                for (var start = 0; start < log.Length; start += input.Batch)
                {
                    var from = Math.Max(0, start - input.Overlap);
                    redelivered = log[from..Math.Min(log.Length, start + input.Batch)].Aggregate(redelivered, LedgerView.Apply);
                }

                var json = DomainJson.Serialize(once);
                return json == DomainJson.Serialize(again)
                    && json == DomainJson.Serialize(redelivered)
                    && DomainJson.Serialize(Register.Rows(once)) == DomainJson.Serialize(Register.Rows(redelivered))
                    && DomainJson.Serialize(LiabilityExposure.Compute(once, DemoLedger.Data.End)) == DomainJson.Serialize(LiabilityExposure.Compute(redelivered, DemoLedger.Data.End));
            }).Check(Scenarios.Config.WithMaxTest(60));

    [Fact]
    public void Folding_generated_incident_histories_into_read_models_is_deterministic() =>
        Prop.ForAll(Scenarios.Arbitrary, scenario =>
        {
            var events = scenario.Run();
            var recorded = events.Select((e, i) => new Recorded(i, F.IncidentId, StreamTypes.Incident, i + 1, e, F.T0.AddMinutes(i), "s", null, "operator", "")).ToArray();
            var first = LedgerView.Fold(recorded);
            var second = LedgerView.Fold(recorded.Select(r => r with { Event = DomainJson.Deserialize(DomainJson.Serialize(r.Event), r.Event.GetType()) }));
            return DomainJson.Serialize(first) == DomainJson.Serialize(second)
                && DomainJson.Serialize(DeadlineBoard.Compute(first, F.T0.AddDays(30))) == DomainJson.Serialize(DeadlineBoard.Compute(second, F.T0.AddDays(30)));
        }).Check(Scenarios.Config.WithMaxTest(150));
}
