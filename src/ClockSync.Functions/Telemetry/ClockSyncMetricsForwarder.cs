using System.Diagnostics.Metrics;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Hosting;

namespace ClockSync.Functions.Telemetry;

/// <summary>
/// Forwards every instrument of the <c>ClockSync</c> meter (punches read/accepted/rejected, batches posted/failed/
/// parked, Feishu latency, 429s) to Application Insights custom metrics. The 2.x SDK that the Functions worker
/// integration builds on does not collect <see cref="Meter"/> instruments itself, and a second telemetry pipeline
/// (OpenTelemetry) next to it would double the logs. Tags are not forwarded: the import id is one of them, and a
/// per-import metric dimension would only hit the SDK's series cap; the import id is on every log line instead.
/// </summary>
public sealed class ClockSyncMetricsForwarder(TelemetryClient telemetryClient) : IHostedService, IDisposable
{
    /// <summary>The name the pipeline's <see cref="Meter"/> uses.</summary>
    public const string MeterName = "ClockSync";

    private MeterListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (string.Equals(instrument.Meter.Name, MeterName, StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Track(instrument, value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Track(instrument, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Track(instrument, value));
        listener.Start();
        _listener = listener;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private void Track(Instrument instrument, double value) =>
        telemetryClient.GetMetric(instrument.Name).TrackValue(value);
}
