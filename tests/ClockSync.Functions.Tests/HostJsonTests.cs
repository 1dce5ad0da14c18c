using System.Text.Json;

namespace ClockSync.Functions.Tests;

/// <summary>
/// host.json takes no comments; the rationale for each value is in the README's host section. These tests keep the
/// values and that rationale in step, and guard the relations between them that matter for a 50 request/s API.
/// </summary>
public sealed class HostJsonTests
{
    private static readonly Lazy<JsonElement> Host = new(() =>
    {
        using var document = RepositoryFiles.ReadJson(Path.Combine(RepositoryFiles.Root, "host.json"));
        return document.RootElement.Clone();
    });

    [Fact]
    public void It_is_a_version_2_host_file_with_a_bounded_function_timeout()
    {
        Assert.Equal("2.0", Host.Value.GetProperty("version").GetString());
        Assert.Equal(TimeSpan.FromMinutes(30), TimeSpan.Parse(Host.Value.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Queue_settings_keep_in_flight_batches_near_what_the_rate_limiter_serves()
    {
        var queues = Queues();

        // At most batchSize + newBatchThreshold messages run at once per instance: 12 posts in flight is what
        // 50 requests/s needs at ~240 ms per call, without holding dozens of messages that only wait on the limiter.
        Assert.Equal(8, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(4, queues.GetProperty("newBatchThreshold").GetInt32());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("00:00:30", queues.GetProperty("visibilityTimeout").GetString());
        Assert.Equal("00:00:02", queues.GetProperty("maxPollingInterval").GetString());
    }

    [Fact]
    public void The_post_handler_knows_the_last_delivery_the_host_makes()
    {
        // On that delivery a failing batch is recorded in FailedBatches instead of being left to the poison queue.
        Assert.Equal(new ClockSync.Storage.StorageOptions().MaxDequeueCount, Queues().GetProperty("maxDequeueCount").GetInt32());
    }

    [Fact]
    public void Queue_messages_are_base64_like_the_ingest_writer_sends_them()
    {
        Assert.Equal("base64", Queues().GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void Dynamic_concurrency_is_off_so_the_queue_batch_settings_apply()
    {
        Assert.False(Host.Value.GetProperty("concurrency").GetProperty("dynamicConcurrencyEnabled").GetBoolean());
    }

    [Fact]
    public void Few_exports_are_ingested_at_once_per_instance()
    {
        var blobs = Host.Value.GetProperty("extensions").GetProperty("blobs");

        Assert.Equal(2, blobs.GetProperty("maxDegreeOfParallelism").GetInt32());
    }

    [Fact]
    public void Logging_keeps_invocation_results_and_quiets_the_storage_sdk()
    {
        var levels = Host.Value.GetProperty("logging").GetProperty("logLevel");

        Assert.Equal("Information", levels.GetProperty("Host.Results").GetString());
        Assert.Equal("Warning", levels.GetProperty("Azure.Core").GetString());
        var sampling = Host.Value.GetProperty("logging").GetProperty("applicationInsights").GetProperty("samplingSettings");
        Assert.Contains("Exception", sampling.GetProperty("excludedTypes").GetString()!.Split(';'));
        Assert.Contains("Request", sampling.GetProperty("excludedTypes").GetString()!.Split(';'));
    }

    private static JsonElement Queues() => Host.Value.GetProperty("extensions").GetProperty("queues");
}
