using ClockSync.Punches;
using ClockSync.Storage;
using ClockSync.Storage.Batches;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Reports;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Logging;

namespace ClockSync.Pipeline.Ingest;

/// <summary>What an <see cref="IngestRun"/> works with (the handler's services).</summary>
internal sealed record IngestServices(
    PipelineStorage Storage,
    ImportStore Imports,
    ImportReportStore Reports,
    BatchMessenger Messenger,
    PunchOptions Options,
    IdMappingSource Mappings,
    UnknownUserStore UnknownUsers,
    ImportSettledNotifier Settled,
    PipelineMetrics Metrics,
    TimeProvider Time,
    ILogger Logger);
