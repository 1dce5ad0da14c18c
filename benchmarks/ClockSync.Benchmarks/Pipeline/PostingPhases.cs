using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using ClockSync.Pipeline;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// Where a consumer's time goes while the queue drains: receiving a message, handling it (of which the Feishu call,
/// limiter wait included, as <see cref="PipelineMetrics.FeishuLatency"/> measures it) and deleting it. Mean
/// milliseconds per message; with the consumer count they say whether the consumers or the limiter set the pace.
/// </summary>
internal sealed class PostingPhases : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _messages;
    private long _receiveTicks;
    private long _handleTicks;
    private long _deleteTicks;
    private double _feishuMs;
    private long _feishuCalls;
    private readonly Lock _feishuGate = new();

    public PostingPhases()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineMetrics.MeterName && instrument.Name == "ClockSync.FeishuLatency")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, milliseconds, _, _) =>
        {
            lock (_feishuGate)
            {
                _feishuMs += milliseconds;
                _feishuCalls++;
            }
        });
        _listener.Start();
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _messages, 0);
        Interlocked.Exchange(ref _receiveTicks, 0);
        Interlocked.Exchange(ref _handleTicks, 0);
        Interlocked.Exchange(ref _deleteTicks, 0);
        lock (_feishuGate)
        {
            _feishuMs = 0;
            _feishuCalls = 0;
        }
    }

    public void Received(long startedTimestamp) => Interlocked.Add(ref _receiveTicks, Stopwatch.GetTimestamp() - startedTimestamp);

    public void Handled(long startedTimestamp)
    {
        Interlocked.Add(ref _handleTicks, Stopwatch.GetTimestamp() - startedTimestamp);
        Interlocked.Increment(ref _messages);
    }

    public void Deleted(long startedTimestamp) => Interlocked.Add(ref _deleteTicks, Stopwatch.GetTimestamp() - startedTimestamp);

    public string Describe()
    {
        var messages = Math.Max(1, Interlocked.Read(ref _messages));
        double Mean(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / messages;
        double feishu;
        lock (_feishuGate)
        {
            feishu = _feishuCalls == 0 ? 0 : _feishuMs / _feishuCalls;
        }

        var handle = Mean(Interlocked.Read(ref _handleTicks));
        return string.Create(CultureInfo.InvariantCulture,
            $"receive {Mean(Interlocked.Read(ref _receiveTicks)):F0}, handle {handle:F0} (Feishu incl. limiter wait {feishu:F0}, rest {handle - feishu:F0}), delete {Mean(Interlocked.Read(ref _deleteTicks)):F0} ms/message");
    }

    public void Dispose() => _listener.Dispose();
}
