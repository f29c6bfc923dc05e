using IncidentLedger.EventStore.Sealing;
using IncidentLedger.Integrity.Checkpoints;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentLedger.Api.Tests;

/// <summary>A witness's name, its Ed25519 key file (what `ledger witness --key` reads) and the key.</summary>
public sealed record TestWitness(string Name, string KeyFile, CosignatureKey Key);

/// <summary>
/// The API host on a real loopback port (so that `ledger witness` reaches it over HTTP), configured with two witnesses
/// whose keys this fixture generates; a third, <see cref="Stranger"/>, is not configured.
/// </summary>
public sealed class WitnessedLedgerApiFactory : LedgerApiFactory
{
    private readonly DirectoryInfo keys = Directory.CreateTempSubdirectory("ledger-witnesses-");

    public WitnessedLedgerApiFactory()
    {
        Witnesses = [Generate("w1.witness.example"), Generate("w2.witness.example")];
        Stranger = Generate("stranger.witness.example");
        UseKestrel(0);
    }

    public IReadOnlyList<TestWitness> Witnesses { get; }

    public TestWitness Stranger { get; }

    /// <summary>The host's base URL (starts it when needed).</summary>
    public Uri Url
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }

    private TestWitness Generate(string name)
    {
        var file = Path.Combine(keys.FullName, name + ".pem");
        return new TestWitness(name, file, CheckpointKeys.LoadWitness(name, file, createIfMissing: true));
    }

    protected override void ConfigureLedger(IWebHostBuilder builder)
    {
        for (var i = 0; i < Witnesses.Count; i++)
        {
            builder.UseSetting($"Ledger:Witnesses:{i}", Witnesses[i].Key.VerifierKey);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        keys.Delete(recursive: true);
    }
}
