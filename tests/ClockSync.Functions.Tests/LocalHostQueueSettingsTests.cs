using System.Globalization;
using System.Text.Json;
using ClockSync.Cli.Hosting;

namespace ClockSync.Functions.Tests;

/// <summary>
/// The WebJobs SDK does not read host.json, so the local host (clocksync run/demo) carries the same queue and blob
/// settings in code; these tests keep the two in step, so local runs behave as the Functions host does.
/// </summary>
public sealed class LocalHostQueueSettingsTests
{
    [Fact]
    public void Queue_settings_match_host_json()
    {
        using var hostJson = RepositoryFiles.ReadJson(Path.Combine(RepositoryFiles.Root, "host.json"));
        var queues = hostJson.RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal(HostQueueSettings.BatchSize, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(HostQueueSettings.NewBatchThreshold, queues.GetProperty("newBatchThreshold").GetInt32());
        Assert.Equal(HostQueueSettings.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(HostQueueSettings.VisibilityTimeout, TimeSpanOf(queues, "visibilityTimeout"));
        Assert.Equal(HostQueueSettings.MaxPollingInterval, TimeSpanOf(queues, "maxPollingInterval"));
        Assert.Equal(HostQueueSettings.MessageEncoding, queues.GetProperty("messageEncoding").GetString(), ignoreCase: true);
    }

    [Fact]
    public void Blob_parallelism_matches_host_json()
    {
        using var hostJson = RepositoryFiles.ReadJson(Path.Combine(RepositoryFiles.Root, "host.json"));
        var blobs = hostJson.RootElement.GetProperty("extensions").GetProperty("blobs");

        Assert.Equal(HostQueueSettings.BlobMaxDegreeOfParallelism, blobs.GetProperty("maxDegreeOfParallelism").GetInt32());
    }

    private static TimeSpan TimeSpanOf(JsonElement section, string name) =>
        TimeSpan.Parse(section.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
