using System.Text.Json;
using ClockSync.Cli;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.IntegrationTests.Pipeline;

namespace ClockSync.IntegrationTests.Cli;

[Collection(AzuriteGroup.Name)]
public sealed class UploadAndStatusTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("clocksync-upload-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Upload_of_a_folder_puts_its_files_in_the_exports_container_and_skips_subfolders()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "a.dat"), PipelineHarness.AttLog(PipelineHarness.Punches(3)));
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "b.dat"), PipelineHarness.AttLog(PipelineHarness.Punches(5)));
        _folder.CreateSubdirectory("nested").Create();

        var human = await OperatorCli.RunAsync(harness, "upload", _folder.FullName);
        var json = await OperatorCli.RunAsync(harness, "upload", Path.Combine(_folder.FullName, "a.dat"), "--json");

        Assert.Equal(ExitCodes.Ok, human.ExitCode);
        Assert.Contains($"2 file(s), {new FileInfo(Path.Combine(_folder.FullName, "a.dat")).Length + new FileInfo(Path.Combine(_folder.FullName, "b.dat")).Length} bytes uploaded to container {harness.Names.ExportsContainer}", human.Out, StringComparison.Ordinal);
        var blobs = new List<string>();
        await foreach (var blob in harness.Exports.GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal(["a.dat", "b.dat"], blobs);
        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(harness.Names.ExportsContainer, document.RootElement.GetProperty("container").GetString());
        Assert.Equal("a.dat", document.RootElement.GetProperty("files")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Upload_of_a_large_file_reports_progress_on_stderr_only()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var path = Path.Combine(_folder.FullName, "big.dat");
        await File.WriteAllBytesAsync(path, new byte[5 * 1024 * 1024]);

        var result = await OperatorCli.RunAsync(harness, "upload", path, "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("big.dat: 100%", result.Error, StringComparison.Ordinal);
        Assert.Equal(5 * 1024 * 1024, JsonDocument.Parse(result.Out).RootElement.GetProperty("totalBytes").GetInt64());
    }

    [Fact]
    public async Task Upload_of_a_missing_path_is_file_not_found()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);

        var result = await OperatorCli.RunAsync(harness, "upload", Path.Combine(_folder.FullName, "nope.dat"));

        Assert.Equal(ExitCodes.FileNotFound, result.ExitCode);
        Assert.Contains("nope.dat: file or folder not found", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("upload")]
    [InlineData("status")]
    [InlineData("failed list")]
    public async Task Without_a_storage_connection_the_command_names_the_setting_and_where_to_set_it(string command)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var args = command.Split(' ').Concat(command == "upload" ? [_folder.FullName] : []).ToArray();

        var result = await OperatorCli.RunAsync(harness.Settings.Without("ClockSyncStorage"), harness.Time, args);

        Assert.Equal(ExitCodes.Configuration, result.ExitCode);
        Assert.Contains("storage is not configured: set the environment variable ClockSyncStorage", result.Error, StringComparison.Ordinal);
        Assert.Contains("local.settings.json", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Status_lists_an_uploaded_and_ingested_export_with_its_counters()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var path = Path.Combine(_folder.FullName, "june.dat");
        await File.WriteAllTextAsync(path, PipelineHarness.AttLog(PipelineHarness.Punches(60)) + "   bad\tnot-a-date\t1\t0\t1\t0\r\n");
        Assert.Equal(ExitCodes.Ok, (await OperatorCli.RunAsync(harness, "upload", path)).ExitCode);
        var ingest = await harness.Ingest.HandleAsync(harness.Exports.GetBlobClient("june.dat"), CancellationToken.None);
        var queuedBeforePosting = JsonDocument.Parse((await OperatorCli.RunAsync(harness, "status", "--json")).Out).RootElement[0].GetProperty("batchesQueued").GetInt32();
        await harness.DrainQueueAsync();

        var json = await OperatorCli.RunAsync(harness, "status", "--json");
        var human = await OperatorCli.RunAsync(harness, "status");

        Assert.Equal(2, queuedBeforePosting);
        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        var row = Assert.Single(JsonDocument.Parse(json.Out).RootElement.EnumerateArray());
        Assert.Equal(ingest.ImportId, row.GetProperty("importId").GetString());
        Assert.Equal($"{harness.Names.ExportsContainer}/june.dat", row.GetProperty("blob").GetString());
        Assert.Equal(
            (61L, 60L, 1L, 0L, 2, 2, 0, 0, 0, 2L),
            (row.GetProperty("lines").GetInt64(), row.GetProperty("punches").GetInt64(), row.GetProperty("rejected").GetInt64(),
             row.GetProperty("alreadyImported").GetInt64(), row.GetProperty("batchesEnqueued").GetInt32(), row.GetProperty("batchesPosted").GetInt32(),
             row.GetProperty("batchesQueued").GetInt32(), row.GetProperty("batchesPendingRetry").GetInt32(), row.GetProperty("batchesParked").GetInt32(),
             row.GetProperty("feishuCalls").GetInt64()));
        Assert.Equal(ExitCodes.Ok, human.ExitCode);
        Assert.Contains(ingest.ImportId[..12], human.Out, StringComparison.Ordinal);
        Assert.Contains("june.dat", human.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_a_file_prints_its_report_and_the_raw_report_with_json()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var ingest = await harness.UploadAndIngestAsync("report.dat", PipelineHarness.AttLog(PipelineHarness.Punches(10)) + "   bad\tnot-a-date\t1\t0\t1\t0\r\n");
        await harness.DrainQueueAsync();

        var human = await OperatorCli.RunAsync(harness, "status", "report.dat");
        var json = await OperatorCli.RunAsync(harness, "status", "report.dat", "--json");

        Assert.Equal(ExitCodes.Ok, human.ExitCode);
        Assert.Contains($"{harness.Names.ExportsContainer}/report.dat: imported", human.Out, StringComparison.Ordinal);
        Assert.Contains(ingest.ImportId, human.Out, StringComparison.Ordinal);
        Assert.Contains("line 11", human.Out, StringComparison.Ordinal);
        Assert.Contains("10 punches; 1 batches whole", human.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        var report = ClockSync.Pipeline.ImportReport.FromJson(json.Out);
        Assert.Equal((ingest.ImportId, 10L), (report.ImportId, report.NewPunches));
    }

    [Fact]
    public async Task Status_of_an_unknown_file_says_so_with_exit_code_not_found()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("known.dat", PipelineHarness.AttLog(PipelineHarness.Punches(1)));

        var result = await OperatorCli.RunAsync(harness, "status", "unknown.dat");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("no import report for 'unknown.dat'", result.Error, StringComparison.Ordinal);
    }
}
