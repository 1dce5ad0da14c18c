using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using ClockSync.Cli.Hosting;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.IntegrationTests.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClockSync.IntegrationTests.LocalHost;

/// <summary>
/// Two <c>clocksync run</c> hosts (the WebJobs host with the three functions, each with its own services, storage
/// clients and call gate) on one queue and one app: together they keep to the one rate limit, counted at the sandbox,
/// and every punch lands once.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class TwoHostsTests(AzuriteFixture azurite)
{
    private const int Rate = 20;

    [Fact]
    public async Task Two_run_hosts_on_one_queue_post_every_punch_once_without_passing_the_shared_limit()
    {
        const int punches = 3_000;
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = new SandboxRateLimit(Rate) });
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var options = new LocalHostOptions
        {
            ReadUserSettings = false,
            MinimumLogLevel = LogLevel.Warning,
            Overrides = new Dictionary<string, string?>
            {
                [LocalHostBuilder.ConnectionName] = azurite.ConnectionString,
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["ClockSync:Storage:ExportsContainer"] = "exp" + suffix,
                ["ClockSync:Storage:ReportsContainer"] = "rep" + suffix,
                ["ClockSync:Storage:ClaimCheckContainer"] = "chk" + suffix,
                ["ClockSync:Storage:BatchQueue"] = "q" + suffix,
                ["ClockSync:Storage:ImportsTable"] = "Imp" + suffix,
                ["ClockSync:Storage:FailedBatchesTable"] = "Fail" + suffix,
                ["ClockSync:Storage:LedgerTable"] = "Led" + suffix,
                ["ClockSync:Storage:CallCountsTable"] = "Calls" + suffix,
                ["ClockSync:Feishu:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
                ["ClockSync:Feishu:AllowAnyBaseUrl"] = "true",
                ["ClockSync:Feishu:AppId"] = SandboxSettings.DefaultAppId,
                ["ClockSync:Feishu:AppSecret"] = SandboxSettings.DefaultAppSecret,
                ["ClockSync:Feishu:RequestsPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture),
                ["ClockSync:Punches:UnmappedUsers"] = "PassThrough",
            },
        };

        // Uploaded before the hosts start, so their first container scan sees it (the polling blob trigger can miss a blob
        // written during a scan).
        var exports = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("exp" + suffix);
        await exports.CreateIfNotExistsAsync();
        await exports.GetBlobClient("two-hosts_attlog.dat").UploadAsync(
            BinaryData.FromString(PipelineHarness.AttLog(PipelineHarness.Punches(punches))), overwrite: true);

        using var first = LocalHostBuilder.Build(LocalHostBuilder.BuildConfiguration(options), options);
        using var second = LocalHostBuilder.Build(LocalHostBuilder.BuildConfiguration(options), options);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (sandbox.Ledger.Count < punches)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await Task.WhenAll(first.StopAsync(stopping.Token), second.StopAsync(stopping.Token));
        }

        var ids = sandbox.Ledger.Snapshot().Select(record => record.IdempotentId).ToList();
        Assert.Equal(punches, ids.Count);
        Assert.Equal(punches, ids.Distinct(StringComparer.Ordinal).Count());

        var requests = sandbox.Requests.Snapshot();
        var calls = requests.Where(request => request.Endpoint == SandboxEndpoints.BatchCreate).ToList();
        // The sandbox's bucket holds a second's worth: no 429, and beyond that bucket the calls took at least the time
        // the rate allows. Two per-process limiters would each have sent at the full rate.
        Assert.DoesNotContain(calls, call => call.Status == 429);
        var span = (calls.Max(call => call.Time) - calls.Min(call => call.Time)).TotalSeconds;
        Assert.True(span >= 0.95 * (calls.Count - Rate - 1) / Rate, $"{calls.Count} calls in {span:F2} s");

        // Both hosts posted: each fetched its own tenant token for its first call.
        Assert.Equal(2, requests.Count(request => request.Endpoint == SandboxEndpoints.Token));
    }
}
