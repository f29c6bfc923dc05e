using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentLedger.GraphQL.Execution;
using IncidentLedger.GraphQL.Server;

namespace IncidentLedger.GraphQL.Tests.Server;

public sealed class PersistedOperationsTests
{
    private const string Hello = "query Hello { hello(name: \"persisted\") }";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(ServerTestHost host, object body)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(host.GraphQL, body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_registered_operation_runs_by_its_sha256_id_in_both_request_shapes()
    {
        var persisted = new PersistedOperations();
        var id = persisted.Register(Hello);
        Assert.Equal(DocumentCache.Hash(Hello), id);
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { PersistedOperations = persisted });

        var plain = await PostAsync(host, new { id });
        var apollo = await PostAsync(host, new { extensions = new { persistedQuery = new { version = 1, sha256Hash = id } } });
        Assert.Equal("Hello, persisted!", plain.Body.GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal(plain.Body.GetRawText(), apollo.Body.GetRawText());
    }

    [Fact]
    public async Task Only_persisted_mode_refuses_documents_and_unknown_ids()
    {
        var persisted = new PersistedOperations();
        var id = persisted.Register(Hello);
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { PersistedOperations = persisted, PersistedOperationsOnly = true });

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(host, new { id })).Status);
        var adHoc = await PostAsync(host, new { query = "{ count }" });
        Assert.Equal("PERSISTED_QUERY_ONLY", adHoc.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var unknown = await PostAsync(host, new { id = new string('0', 64) });
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknown.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_query_sent_with_a_hash_that_is_not_its_own_is_refused()
    {
        await using var host = await ServerTestHost.StartAsync(new GraphQLServerOptions { PersistedOperations = new PersistedOperations() });
        var mismatch = await PostAsync(host, new { query = "{ count }", extensions = new { persistedQuery = new { version = 1, sha256Hash = new string('a', 64) } } });
        Assert.Equal("PERSISTED_QUERY_HASH_MISMATCH", mismatch.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public void Operations_register_from_a_folder_of_graphql_files()
    {
        var folder = Directory.CreateTempSubdirectory("persisted-");
        File.WriteAllText(Path.Combine(folder.FullName, "a.graphql"), Hello);
        File.WriteAllText(Path.Combine(folder.FullName, "b.graphql"), "{ count }");
        var persisted = new PersistedOperations();
        var ids = persisted.RegisterFolder(folder.FullName);
        Assert.Equal([DocumentCache.Hash(Hello), DocumentCache.Hash("{ count }")], ids);
        Assert.True(persisted.TryGet(ids[1], out var text));
        Assert.Equal("{ count }", text);
        folder.Delete(recursive: true);
    }
}
