using System.Diagnostics;
using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Language;
using IncidentLedger.GraphQL.Types;

// Usage: graphql-bench [seconds per scenario, default 5]
// Closed loop, one request at a time, for each query: requests per second and bytes allocated per request,
// for the full path (query text → document cache → execute → JSON bytes), the same with the server's default
// request limits (depth; what an HTTP request goes through), and for execution of a pre-parsed document.
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
var baseDir = AppContext.BaseDirectory;
var queries = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(baseDir, "queries.json")))!;
var schema = BenchSchema.Build(File.ReadAllText(Path.Combine(baseDir, "schema.graphql")));
var executor = new Executor(schema);

Console.WriteLine($"IncidentLedger.GraphQL on .NET {Environment.Version}, {Environment.ProcessorCount} cores, {seconds} s per scenario");
Console.WriteLine($"{"scenario",-28} {"req/s",10} {"alloc/req",12} {"response",10}");
foreach (var (name, query) in queries)
{
    var full = new ExecutionRequest { Query = query, Options = new ExecutionOptions { MaxDepth = null } };
    var limited = new ExecutionRequest { Query = query, Options = ExecutionOptions.Default };
    var parsed = new ExecutionRequest { Document = Parser.Parse(query), Options = new ExecutionOptions { MaxDepth = null } };
    foreach (var (mode, request) in new[] { ("full", full), ("full, limits", limited), ("pre-parsed", parsed) })
    {
        var bytes = await Run(executor, request, TimeSpan.FromSeconds(1));
        var (rate, alloc) = await Measure(executor, request, TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"{name + " (" + mode + ")",-28} {rate,10:N0} {FormatBytes(alloc),12} {FormatBytes(bytes),10}");
    }
}

static async Task<long> Run(Executor executor, ExecutionRequest request, TimeSpan duration)
{
    var watch = Stopwatch.StartNew();
    long size = 0;
    while (watch.Elapsed < duration)
    {
        var result = await executor.ExecuteAsync(request);
        if (result.Errors is not null)
        {
            throw new InvalidOperationException(result.Errors[0].Message);
        }

        size = JsonSerializer.SerializeToUtf8Bytes(result).Length;
    }

    return size;
}

static async Task<(double Rate, double Alloc)> Measure(Executor executor, ExecutionRequest request, TimeSpan duration)
{
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    long count = 0;
    while (watch.Elapsed < duration)
    {
        var result = await executor.ExecuteAsync(request);
        _ = JsonSerializer.SerializeToUtf8Bytes(result);
        count++;
    }

    var elapsed = watch.Elapsed.TotalSeconds;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    return (count / elapsed, (double)allocated / count);
}

static string FormatBytes(double bytes) => bytes switch
{
    >= 1024 * 1024 => $"{bytes / 1024 / 1024:N1} MB",
    >= 1024 => $"{bytes / 1024:N1} KB",
    _ => $"{bytes:N0} B",
};

/// <summary>The benchmark schema and data; bench.mjs builds the same.</summary>
internal static class BenchSchema
{
    public static Schema Build(string sdl)
    {
        var owners = Enumerable.Range(0, 10).Select(j => new Owner($"o{j}", $"Owner {j}", $"owner{j}@example.org")).ToArray();
        var items = Enumerable.Range(1, 1000)
            .Select(i => new Item(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Item {i}", i * 1.25, i % 3 != 0, [$"t{i % 5}", $"t{i % 7}"], owners[i % 10]))
            .ToArray();
        return SchemaBuilder.FromSdl(sdl)
            .UseDefaultResolvers()
            .BindResolver("Query", "hello", c => $"Hello, {c.Arguments["name"]}!")
            .BindResolver("Query", "item", c => Array.Find(items, i => i.Id == (string)c.Arguments["id"]!))
            .BindResolver("Query", "items", c => new ArraySegment<Item>(items, 0, Math.Clamp((int)c.Arguments["first"]!, 0, items.Length)))
            .Build();
    }
}

internal sealed record Item(string Id, string Name, double Price, bool InStock, string[] Tags, Owner Owner);

internal sealed record Owner(string Id, string Name, string Email);
