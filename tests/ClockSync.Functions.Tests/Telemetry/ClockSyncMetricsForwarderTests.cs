using System.Diagnostics.Metrics;
using ClockSync.Functions.Telemetry;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.ApplicationInsights.Metrics;

namespace ClockSync.Functions.Tests.Telemetry;

public sealed class ClockSyncMetricsForwarderTests : IDisposable
{
    private readonly CapturingChannel _channel = new();
    private readonly TelemetryConfiguration _configuration;
    private readonly TelemetryClient _client;

    public ClockSyncMetricsForwarderTests()
    {
        _configuration = new TelemetryConfiguration { TelemetryChannel = _channel, ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000" };
        _client = new TelemetryClient(_configuration);
    }

    [Fact]
    public async Task Counter_and_histogram_measurements_of_the_clocksync_meter_become_custom_metrics()
    {
        using var meter = new Meter(ClockSyncMetricsForwarder.MeterName);
        var accepted = meter.CreateCounter<long>("clocksync.punches.accepted");
        var latency = meter.CreateHistogram<double>("clocksync.feishu.latency");
        using var forwarder = new ClockSyncMetricsForwarder(_client);
        await forwarder.StartAsync(CancellationToken.None);

        accepted.Add(50, new KeyValuePair<string, object?>("import.id", "imp-1"));
        accepted.Add(20);
        latency.Record(120.5);
        latency.Record(80.5);
        _configuration.GetMetricManager().Flush();

        var metrics = _channel.Metrics();
        Assert.Equal((2, 70d), (metrics["clocksync.punches.accepted"].Count, metrics["clocksync.punches.accepted"].Sum));
        Assert.Equal((2, 201d, 80.5, 120.5), (metrics["clocksync.feishu.latency"].Count, metrics["clocksync.feishu.latency"].Sum,
            metrics["clocksync.feishu.latency"].Min, metrics["clocksync.feishu.latency"].Max));
        Assert.All(metrics.Values, metric => Assert.DoesNotContain("import.id", metric.Properties.Keys));
    }

    [Fact]
    public async Task Other_meters_are_not_forwarded_and_nothing_is_after_stop()
    {
        using var other = new Meter("Azure.Storage.Something");
        using var meter = new Meter(ClockSyncMetricsForwarder.MeterName);
        var foreign = other.CreateCounter<int>("foreign.count");
        var posted = meter.CreateCounter<int>("clocksync.batches.posted");
        using var forwarder = new ClockSyncMetricsForwarder(_client);
        await forwarder.StartAsync(CancellationToken.None);

        foreign.Add(1);
        posted.Add(1);
        await forwarder.StopAsync(CancellationToken.None);
        posted.Add(5);
        _configuration.GetMetricManager().Flush();

        var metrics = _channel.Metrics();
        Assert.Equal(["clocksync.batches.posted"], metrics.Keys);
        Assert.Equal(1d, metrics["clocksync.batches.posted"].Sum);
    }

    public void Dispose() => _configuration.Dispose();

    private sealed class CapturingChannel : ITelemetryChannel
    {
        private readonly List<ITelemetry> _items = [];

        public bool? DeveloperMode { get; set; }

        public string EndpointAddress { get; set; } = "";

        public void Send(ITelemetry item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public Dictionary<string, MetricTelemetry> Metrics()
        {
            lock (_items)
            {
                return _items.OfType<MetricTelemetry>().Where(metric => metric.Count > 0)
                    .ToDictionary(metric => metric.Name, StringComparer.Ordinal);
            }
        }

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}
