using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentLedger.Testing;
using YamlDotNet.RepresentationModel;

namespace IncidentLedger.Api.Tests;

/// <summary>
/// The Dockerfile and docker-compose.yml, checked without a Docker engine (none runs here): the compose file parses and wires
/// PostgreSQL, the API and the failover node; the image is multi-stage, non-root, health-checked, and runs the README's command.
/// </summary>
public sealed partial class DeploymentTests
{
    private static readonly string Root = Repository.Root;

    private static YamlMappingNode Compose()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) =>
        Assert.IsType<YamlMappingNode>(((YamlMappingNode)node).Children[new YamlScalarNode(key)]);

    private static YamlNode? Get(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static IReadOnlyList<string> Strings(YamlNode? node) => node switch
    {
        YamlSequenceNode sequence => [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value!)],
        YamlScalarNode scalar => [scalar.Value!],
        _ => [],
    };

    private static Dictionary<string, string> Environment(YamlNode service) =>
        Map(service, "environment").Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

    [Fact]
    public void The_compose_file_runs_postgres_and_the_api_by_default_and_a_second_node_behind_a_profile()
    {
        var services = Map(Compose(), "services");
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Equal(["postgres", "api", "api-2"], names);

        var postgres = services.Children[new YamlScalarNode("postgres")];
        var api = services.Children[new YamlScalarNode("api")];
        var second = services.Children[new YamlScalarNode("api-2")];
        Assert.Empty(Strings(Get(postgres, "profiles")));
        Assert.Empty(Strings(Get(api, "profiles")));
        Assert.Equal(["failover"], Strings(Get(second, "profiles")));

        // The API waits for a healthy database and reaches it by its service name; the second node runs the first's image with the same settings.
        Assert.Equal("service_healthy", ((YamlScalarNode)Map(Map(api, "depends_on"), "postgres").Children[new YamlScalarNode("condition")]).Value);
        Assert.NotNull(Get(postgres, "healthcheck"));
        var environment = Environment(api);
        Assert.Contains("Host=postgres;", environment["ConnectionStrings__Ledger"]);
        var database = Environment(postgres);
        Assert.Contains($"Username={database["POSTGRES_USER"]};Password={database["POSTGRES_PASSWORD"]};Database={database["POSTGRES_DB"]}", environment["ConnectionStrings__Ledger"]);
        Assert.Equal(environment, Environment(second));
        Assert.Equal(((YamlScalarNode)Get(api, "image")!).Value, ((YamlScalarNode)Get(second, "image")!).Value);
        Assert.Equal(".", ((YamlScalarNode)Get(api, "build")!).Value);
        Assert.Equal(Strings(Get(api, "volumes")), Strings(Get(second, "volumes")));

        // Published ports do not collide, and every named volume is declared.
        var published = services.Children.Values.SelectMany(s => Strings(Get(s, "ports"))).Select(p => p[..p.LastIndexOf(':')]).ToList();
        Assert.Equal(published.Count, published.Distinct().Count());
        var declared = Map(Compose(), "volumes").Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        Assert.All(services.Children.Values.SelectMany(s => Strings(Get(s, "volumes"))).Select(v => v.Split(':')[0]), v => Assert.Contains(v, declared));
    }

    /// <summary>The Dockerfile's instructions (continuation lines joined, comments dropped), in order.</summary>
    private static List<(string Instruction, string Arguments)> Dockerfile()
    {
        var text = File.ReadAllText(Path.Combine(Root, "Dockerfile")).ReplaceLineEndings("\n");
        var logical = Continuation().Replace(text, " ");
        return [.. logical.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => (l.Split(' ', 2)[0].ToUpperInvariant(), l.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? ""))];
    }

    [GeneratedRegex(@"\\\n")]
    private static partial Regex Continuation();

    private static IReadOnlyList<string> ReadmeCommands() =>
        [.. File.ReadAllLines(Path.Combine(Root, "README.md")).Select(l => l.Trim()).Where(l => l.StartsWith("dotnet ", StringComparison.Ordinal) || l.StartsWith("cd ", StringComparison.Ordinal))];

    [Fact]
    public void The_image_is_multi_stage_non_root_and_health_checked_on_live()
    {
        var instructions = Dockerfile();
        var stages = instructions.Where(i => i.Instruction == "FROM").ToList();
        Assert.True(stages.Count >= 2, "a build stage and a runtime stage");
        Assert.Contains("/sdk:", stages[0].Arguments);
        Assert.Contains("/aspnet:", stages[^1].Arguments);

        var final = instructions.Skip(instructions.FindLastIndex(i => i.Instruction == "FROM")).ToList();
        var user = Assert.Single(final, i => i.Instruction == "USER").Arguments;
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.DoesNotContain(final, i => i.Instruction == "RUN" && final.IndexOf(i) > final.FindIndex(j => j.Instruction == "USER"));

        var healthcheck = Assert.Single(final, i => i.Instruction == "HEALTHCHECK").Arguments;
        Assert.Contains("/healthz/live", healthcheck);
        Assert.Contains(final, i => i.Instruction == "COPY" && i.Arguments.StartsWith("--from=build", StringComparison.Ordinal));
    }

    [Fact]
    public void The_image_runs_the_readmes_published_build_command()
    {
        var instructions = Dockerfile();
        var final = instructions.Skip(instructions.FindLastIndex(i => i.Instruction == "FROM")).ToList();
        var entry = JsonSerializer.Deserialize<string[]>(Assert.Single(final, i => i.Instruction == "ENTRYPOINT").Arguments)!;
        var workdir = final.Last(i => i.Instruction == "WORKDIR").Arguments;

        // README: `dotnet publish src/IncidentLedger.Api -c Release -o out` then `cd out && dotnet IncidentLedger.Api.dll`.
        var commands = ReadmeCommands();
        var publish = Assert.Single(commands, c => c.StartsWith("dotnet publish src/IncidentLedger.Api ", StringComparison.Ordinal));
        var output = Regex.Match(publish, @"-o (\S+)").Groups[1].Value;
        var run = Assert.Single(commands, c => c.StartsWith($"cd {output} && ", StringComparison.Ordinal))[$"cd {output} && ".Length..];

        Assert.Equal(run, string.Join(' ', entry));
        var imagePublish = Assert.Single(instructions, i => i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.Equal(publish.Replace($"-o {output}", $"-o {workdir}", StringComparison.Ordinal), imagePublish);
        Assert.Contains(final, i => i.Instruction == "COPY" && i.Arguments == $"--from=build {workdir} ./");
    }
}
