using IncidentLedger.Api.Commands;
using IncidentLedger.EventStore.Writing;
using IncidentLedger.Testing;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace IncidentLedger.Api.Tests;

/// <summary>Wolverine's handler code is pre-generated (`dotnet run --project src/IncidentLedger.Api -- codegen write`) and checked in.</summary>
public sealed class GeneratedCodeTests
{
    private static string CheckedIn => Repository.PathOf("src", "IncidentLedger.Api", "Internal", "Generated");

    [Fact]
    public async Task The_checked_in_handler_code_is_what_the_handlers_generate_now()
    {
        await using var node = new LedgerApiFactory();
        await node.InitializeAsync();
        var services = node.Services;
        var output = Directory.CreateTempSubdirectory("ledger-codegen-").FullName;
        try
        {
            var collections = services.GetServices<ICodeFileCollection>().ToArray();
            foreach (var collection in collections)
            {
                collection.Rules.GeneratedCodeOutputPath = output;
            }

            new DynamicCodeBuilder(services, collections) { ServiceVariableSource = services.GetService<IServiceVariableSource>() }.WriteGeneratedCode(_ => { });

            var generated = Files(output);
            var checkedIn = Files(CheckedIn);
            Assert.True(generated.Keys.Order().SequenceEqual(checkedIn.Keys.Order()), $"Generated files {string.Join(", ", generated.Keys.Order())} differ from the checked-in {string.Join(", ", checkedIn.Keys.Order())}. Run `dotnet run --project src/IncidentLedger.Api -- codegen write` and commit the result.");
            foreach (var (name, code) in generated)
            {
                Assert.True(code == checkedIn[name], $"{name} is stale. Run `dotnet run --project src/IncidentLedger.Api -- codegen write` and commit the result.");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Outside_development_the_host_runs_commands_on_the_pre_generated_code()
    {
        await using var ledger = new LedgerApiFactory();
        await ledger.InitializeAsync();
        _ = ledger.Server;
        await using var production = ledger.SecondNode("Production");
        _ = production.Server;

        await using var scope = production.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<WriteOutcome>(LedgerCommand.For(Organisations.Register(Guid.NewGuid())));
        Assert.Single(outcome.Events);
        Assert.Equal(JasperFx.CodeGeneration.TypeLoadMode.Static, scope.ServiceProvider.GetRequiredService<WolverineOptions>().CodeGeneration.TypeLoadMode);
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
}
