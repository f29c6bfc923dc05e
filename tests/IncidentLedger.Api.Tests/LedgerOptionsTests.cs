using Microsoft.AspNetCore.Hosting;

namespace IncidentLedger.Api.Tests;

/// <summary>Settings the ledger cannot honour stop it at start-up with the setting named, instead of a ledger that breaks its promises.</summary>
public sealed class LedgerOptionsTests
{
    private static async Task<string> StartFailureAsync(string key, string value)
    {
        await using var factory = new LedgerApiFactory();
        await factory.InitializeAsync();
        var configured = factory.WithWebHostBuilder(b => b.UseSetting(key, value));
        return Assert.ThrowsAny<Exception>(() => configured.CreateClient()).ToString();
    }

    [Fact]
    public async Task A_merge_delay_shorter_than_a_sealer_hand_over_stops_start_up()
    {
        var failure = await StartFailureAsync("Ledger:MaximumMergeDelay", "00:00:01");
        Assert.Contains("Ledger:MaximumMergeDelay is 00:00:01; filing receipts promise a checkpoint within it", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_witness_key_stops_start_up_naming_the_setting()
    {
        var failure = await StartFailureAsync("Ledger:Witnesses:0", "w1.example+00000000+AQID");
        Assert.Contains("Ledger:Witnesses:0 is not a witness verifier key", failure, StringComparison.Ordinal);
    }
}
