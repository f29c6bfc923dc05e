using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace IncidentLedger.Api.Operations;

/// <summary>
/// Renders the meters named in <see cref="LedgerOperations.Meters"/> in the Prometheus text format (version 0.0.4), listening with a
/// <see cref="MeterListener"/>: counters as <c>_total</c>, histograms as cumulative buckets with <c>_sum</c> and <c>_count</c>, gauges and
/// up-down counters as gauges. Names follow the OpenTelemetry-to-Prometheus convention (dots become underscores, "s" adds <c>_seconds</c>).
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    /// <summary>Bucket bounds (seconds) for duration histograms: from 1 ms to 10 s.</summary>
    private static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> series = new();
    private readonly Lock scrape = new();

    public PrometheusMetrics(IReadOnlyCollection<string> meters)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters.Contains(instrument.Meter.Name))
            {
                series.TryAdd(instrument, new ConcurrentDictionary<string, Series>());
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.MeasurementsCompleted = (instrument, state) => series.TryRemove(instrument, out var removed);
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<byte>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        listener.Start();
    }

    /// <summary>The text a scrape of /metrics receives.</summary>
    public string Render()
    {
        lock (scrape)
        {
            // Gauges report their current value now; forget the previous scrape's, so a series that vanished is not repeated.
            foreach (var (instrument, values) in series)
            {
                if (IsObservableGauge(instrument))
                {
                    values.Clear();
                }
            }

            listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var (instrument, values) in series.OrderBy(s => s.Key.Meter.Name, StringComparer.Ordinal).ThenBy(s => s.Key.Name, StringComparer.Ordinal))
            {
                if (values.IsEmpty)
                {
                    continue;
                }

                var name = NameOf(instrument);
                var kind = KindOf(instrument);
                text.Append("# HELP ").Append(name).Append(' ').Append(Escape(instrument.Description ?? instrument.Name, help: true)).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
                foreach (var (labels, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    value.Write(text, kind == "counter" ? name + "_total" : name, labels);
                }
            }

            return text.ToString();
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!series.TryGetValue(instrument, out var values))
        {
            return;
        }

        var labels = Labels(tags);
        var kind = KindOf(instrument);
        var entry = values.GetOrAdd(labels, _ => kind == "histogram" ? new HistogramSeries() : new Series());
        if (kind == "histogram")
        {
            ((HistogramSeries)entry).Observe(value);
        }
        else if (instrument.IsObservable)
        {
            entry.Set(value); // observable counters report their running total
        }
        else if (kind == "counter" || instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>)
        {
            entry.Add(value);
        }
        else
        {
            entry.Set(value);
        }
    }

    private static bool IsObservableGauge(Instrument instrument) => instrument.IsObservable && KindOf(instrument) == "gauge";

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? "counter"
            : generic == typeof(Histogram<>) ? "histogram"
            : "gauge";
    }

    /// <summary>graphql.server.request.duration (s) → graphql_server_request_duration_seconds.</summary>
    private static string NameOf(Instrument instrument)
    {
        var name = Sanitise(instrument.Name);
        var suffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        return suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal) ? name + suffix : name;
    }

    private static string Sanitise(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return result.ToString();
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            pairs.Add($"{Sanitise(key)}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", help: false)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Escape(string value, bool help) =>
        help ? value.Replace("\\", "\\\\").Replace("\n", "\\n") : value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => listener.Dispose();

    /// <summary>One labelled value of a counter or gauge.</summary>
    private class Series
    {
        private double value;

        public void Add(double delta)
        {
            double seen, next;
            do
            {
                seen = Volatile.Read(ref value);
                next = seen + delta;
            }
            while (Interlocked.CompareExchange(ref value, next, seen) != seen);
        }

        public void Set(double v) => Volatile.Write(ref value, v);

        public virtual void Write(StringBuilder text, string name, string labels) =>
            text.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ').Append(Number(Volatile.Read(ref value))).Append('\n');
    }

    /// <summary>One labelled histogram: cumulative buckets, sum and count.</summary>
    private sealed class HistogramSeries : Series
    {
        private readonly long[] counts = new long[Bounds.Length + 1];
        private readonly Lock gate = new();
        private double sum;
        private long count;

        public void Observe(double v)
        {
            var bucket = Array.BinarySearch(Bounds, v);
            bucket = bucket >= 0 ? bucket : ~bucket;
            lock (gate)
            {
                counts[bucket]++;
                sum += v;
                count++;
            }
        }

        public override void Write(StringBuilder text, string name, string labels)
        {
            long[] snapshot;
            double total;
            long n;
            lock (gate)
            {
                snapshot = (long[])counts.Clone();
                total = sum;
                n = count;
            }

            var prefix = labels.Length > 0 ? labels + "," : "";
            long cumulative = 0;
            for (var i = 0; i <= Bounds.Length; i++)
            {
                cumulative += snapshot[i];
                var le = i < Bounds.Length ? Number(Bounds[i]) : "+Inf";
                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(le).Append("\"} ").Append(cumulative).Append('\n');
            }

            var braces = labels.Length > 0 ? "{" + labels + "}" : "";
            text.Append(name).Append("_sum").Append(braces).Append(' ').Append(Number(total)).Append('\n');
            text.Append(name).Append("_count").Append(braces).Append(' ').Append(n).Append('\n');
        }
    }
}
