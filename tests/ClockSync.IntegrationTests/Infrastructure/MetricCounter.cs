using System.Diagnostics.Metrics;
using ClockSync.Pipeline;

namespace ClockSync.IntegrationTests.Infrastructure;

/// <summary>
/// Sums what the pipeline's meter records on the named counters, from every service provider in the process (two
/// instances in one test count together). Tests using it belong to the Azurite collection, which runs one at a time.
/// </summary>
internal sealed class MetricCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _sums;

    public MetricCounter(params string[] instruments)
    {
        _sums = instruments.ToDictionary(name => name, _ => 0L, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineMetrics.MeterName && _sums.ContainsKey(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (_sums)
            {
                _sums[instrument.Name] += value;
            }
        });
        _listener.Start();
    }

    public long this[string instrument]
    {
        get
        {
            lock (_sums)
            {
                return _sums[instrument];
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
