using System.Diagnostics.Metrics;

namespace ClockSync.Pipeline;

/// <summary>
/// The pipeline's instruments on the <c>ClockSync</c> meter (names are the OpenTelemetry export names):
/// punches read/accepted/rejected/duplicate/already imported, batches enqueued/posted/failed/parked, Feishu 429s, quota
/// pauses, the call budget's warning and the <c>batch_create</c> latency.
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "ClockSync";

    private readonly Meter _meter = new(MeterName);

    public PipelineMetrics()
    {
        PunchesRead = _meter.CreateCounter<long>("ClockSync.PunchesRead", "{line}", "Lines read from exports.");
        PunchesAccepted = _meter.CreateCounter<long>("ClockSync.PunchesAccepted", "{punch}", "Punches accepted at ingest.");
        PunchesRejected = _meter.CreateCounter<long>("ClockSync.PunchesRejected", "{punch}", "Lines rejected at ingest.");
        PunchesDuplicate = _meter.CreateCounter<long>("ClockSync.PunchesDuplicate", "{punch}", "In-file duplicates dropped.");
        PunchesAlreadyImported = _meter.CreateCounter<long>("ClockSync.PunchesAlreadyImported", "{punch}", "Punches an earlier file imported.");
        BatchesEnqueued = _meter.CreateCounter<long>("ClockSync.BatchesEnqueued", "{batch}", "Batches queued for Feishu.");
        BatchesPosted = _meter.CreateCounter<long>("ClockSync.BatchesPosted", "{batch}", "Batches (or retried parts) Feishu accepted in full.");
        BatchesFailed = _meter.CreateCounter<long>("ClockSync.BatchesFailed", "{batch}", "Batches (or parts) stored for a retry.");
        BatchesParked = _meter.CreateCounter<long>("ClockSync.BatchesParked", "{batch}", "Batches (or parts) parked for an operator.");
        PunchesHeld = _meter.CreateCounter<long>("ClockSync.PunchesHeld", "{punch}", "Punches set aside because Feishu does not know their user.");
        FeishuThrottled = _meter.CreateCounter<long>("ClockSync.FeishuThrottled", "{call}", "batch_create calls answered with 429/99991400.");
        QuotaExhausted = _meter.CreateCounter<long>("ClockSync.QuotaExhausted", "{pause}", "App-wide posting pauses started: Feishu's monthly quota or the app's call budget used up.");
        CallBudgetWarning = _meter.CreateCounter<long>("ClockSync.CallBudgetWarning", "{warning}", "The app reserved 90 % of its monthly call budget (once a month).");
        FeishuLatency = _meter.CreateHistogram<double>("ClockSync.FeishuLatency", "ms", "Duration of one batch_create (with unknown-user isolation).");
    }

    public Counter<long> PunchesRead { get; }

    public Counter<long> PunchesAccepted { get; }

    public Counter<long> PunchesRejected { get; }

    public Counter<long> PunchesDuplicate { get; }

    public Counter<long> PunchesAlreadyImported { get; }

    public Counter<long> BatchesEnqueued { get; }

    public Counter<long> BatchesPosted { get; }

    public Counter<long> BatchesFailed { get; }

    public Counter<long> BatchesParked { get; }

    public Counter<long> PunchesHeld { get; }

    public Counter<long> FeishuThrottled { get; }

    public Counter<long> QuotaExhausted { get; }

    public Counter<long> CallBudgetWarning { get; }

    public Histogram<double> FeishuLatency { get; }

    public void Dispose() => _meter.Dispose();
}
