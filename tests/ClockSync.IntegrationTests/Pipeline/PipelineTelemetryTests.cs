using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>The metrics and log lines an end-to-end run produces.</summary>
[Collection(AzuriteGroup.Name)]
public sealed partial class PipelineTelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_run_with_an_unknown_user_measures_every_instrument_and_logs_with_the_import_id_and_no_secret()
    {
        var logs = new ScopeCapturingLoggerProvider();
        await using var harness = await PipelineHarness.StartAsync(azurite, services: collection => collection.AddSingleton<ILoggerProvider>(logs));
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { UnknownUserMode = UnknownUserMode.WholeRequest1220004 };
        harness.Sandbox.Tenant.AddUsers("employee_id", "1", "2", "3", "4", "5", "6");
        var metrics = harness.Services.GetRequiredService<PipelineMetrics>();
        var measured = new ConcurrentDictionary<string, List<double>>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            // Only this harness' instruments: another PipelineMetrics in the process would share the meter name.
            InstrumentPublished = (instrument, subscriber) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.BatchesParked.Meter))
                {
                    subscriber.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(measured, instrument.Name, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(measured, instrument.Name, value));
        listener.Start();

        var content = PipelineHarness.AttLog(PipelineHarness.Punches(70, users: 7)) + "   bad\tnot-a-date\t1\t0\t1\t0\r\n";
        var result = await harness.UploadAndIngestAsync("telemetry.dat", content);
        await harness.DrainQueueAsync();
        listener.Dispose();

        Assert.Equal(71.0, Sum(measured, "ClockSync.PunchesRead"));
        Assert.Equal(70.0, Sum(measured, "ClockSync.PunchesAccepted"));
        Assert.Equal(1.0, Sum(measured, "ClockSync.PunchesRejected"));
        Assert.Equal(2.0, Sum(measured, "ClockSync.BatchesEnqueued"));
        Assert.Equal(10.0, Sum(measured, "ClockSync.PunchesHeld"));
        var posts = harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.BatchCreate);
        Assert.Equal(2, measured["ClockSync.FeishuLatency"].Count);
        Assert.True(posts >= 2);
        Assert.All(measured["ClockSync.FeishuLatency"], latency => Assert.True(latency >= 0));

        var lines = logs.Lines;
        Assert.Contains(lines, line => line.Category.StartsWith(typeof(IngestClockExportHandler).FullName!, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Category.StartsWith("ClockSync.Pipeline.PostPunchBatchHandler", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Equal(result.ImportId, line.Scope.GetValueOrDefault("ImportId")));
        Assert.All(lines, line => Assert.DoesNotContain(SandboxSettings.DefaultAppSecret, line.AllText, StringComparison.Ordinal));
        Assert.All(lines, line => Assert.DoesNotMatch(SandboxToken(), line.AllText));
    }

    private static void Record(ConcurrentDictionary<string, List<double>> measured, string name, double value)
    {
        var values = measured.GetOrAdd(name, static _ => []);
        lock (values)
        {
            values.Add(value);
        }
    }

    private static double Sum(ConcurrentDictionary<string, List<double>> measured, string name) =>
        measured.TryGetValue(name, out var values) ? values.Sum() : 0;

    [GeneratedRegex("t-[0-9a-f]{40}")]
    private static partial Regex SandboxToken();
}
