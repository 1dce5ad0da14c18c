using System.Text.Json;

namespace ClockSync.Functions.Tests;

/// <summary>
/// The host indexes the app from <c>functions.metadata</c>, which the Functions SDK generates from the trigger
/// attributes at build time. These tests read that file as the host would and pin what Bicep (Event Grid
/// subscription on <c>Host.Functions.IngestClockExport</c>), docs/settings.md and the poison-queue alerts rely on.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Functions = new(ReadFunctions);

    [Fact]
    public void The_app_has_exactly_the_three_pipeline_functions()
    {
        Assert.Equal(
            ["IngestClockExport", "PostPunchBatch", "RetryFailedBatches"],
            Functions.Value.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void IngestClockExport_is_an_event_grid_blob_trigger_on_the_exports_container_bound_as_a_client()
    {
        var trigger = SingleBinding("IngestClockExport");

        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("%ClockSyncExportsContainer%/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal("ClockSyncStorage", trigger.GetProperty("connection").GetString());

        // BlobClient is an SDK-type binding: the host sends a reference to the blob (deferred binding), never the
        // content, and there is no string/binary dataType that would make it buffer the file.
        Assert.Equal("True", trigger.GetProperty("properties").GetProperty("supportsDeferredBinding").GetString());
        Assert.False(trigger.TryGetProperty("dataType", out _), "A dataType would mean the blob is bound as its content.");
    }

    [Fact]
    public void PostPunchBatch_is_a_queue_trigger_on_the_batch_queue_bound_as_text()
    {
        var trigger = SingleBinding("PostPunchBatch");

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("%ClockSyncBatchQueue%", trigger.GetProperty("queueName").GetString());
        Assert.Equal("ClockSyncStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal("String", trigger.GetProperty("dataType").GetString());
    }

    [Fact]
    public void RetryFailedBatches_is_a_timer_on_the_configured_schedule()
    {
        var trigger = SingleBinding("RetryFailedBatches");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%ClockSyncRetrySchedule%", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean(),
            "A retry sweep on every cold start would multiply runs on a scaling plan.");
    }

    [Theory]
    [InlineData("IngestClockExport")]
    [InlineData("PostPunchBatch")]
    [InlineData("RetryFailedBatches")]
    public void Every_function_runs_in_the_isolated_worker_assembly(string name)
    {
        var function = Functions.Value[name];

        Assert.Equal("dotnet-isolated", function.GetProperty("language").GetString());
        Assert.Equal("ClockSync.Functions.dll", function.GetProperty("scriptFile").GetString());
        Assert.Equal($"ClockSync.Functions.Triggers.{name}.RunAsync", function.GetProperty("entryPoint").GetString());
    }

    private static JsonElement SingleBinding(string function) =>
        Assert.Single(Functions.Value[function].GetProperty("bindings").EnumerateArray().ToList());

    private static Dictionary<string, JsonElement> ReadFunctions()
    {
        using var document = RepositoryFiles.ReadJson(Path.Combine(RepositoryFiles.FunctionsOutput, "functions.metadata"));
        return document.RootElement.EnumerateArray()
            .ToDictionary(function => function.GetProperty("name").GetString()!, function => function.Clone(), StringComparer.Ordinal);
    }
}
