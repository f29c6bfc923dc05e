using IncidentLedger.GraphQL.Execution;

namespace IncidentLedger.GraphQL.Tests.SideBySide;

/// <summary>graphql-js's getIntrospectionQuery() against our engine, fed to buildClientSchema and printSchema, reproduces the SDL.</summary>
public sealed class IntrospectionRoundTripTests
{
    [Fact]
    public async Task Introspection_result_rebuilds_the_same_schema_in_graphql_js()
    {
        Assert.True(Oracle.Problem is null, Oracle.Problem);
        var query = Oracle.Root.GetProperty("introspectionQuery").GetString()!;
        var result = await new Executor(TestSchema.Schema).ExecuteAsync(new ExecutionRequest { Query = query, Options = new ExecutionOptions { MaxDepth = null } });
        Assert.Null(result.Errors);
        var printed = Oracle.RunNode("sdl-from-introspection.mjs", result.ToJson());
        Assert.Equal(Oracle.Root.GetProperty("expectedSdl").GetString(), printed);
    }
}
