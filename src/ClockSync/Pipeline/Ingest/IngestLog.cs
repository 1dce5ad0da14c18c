using Microsoft.Extensions.Logging;

namespace ClockSync.Pipeline.Ingest;

/// <summary>The ingest's log events (4000-4009).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Import {ImportId} ({Blob}) is already {State}; nothing to do")]
    public static partial void AlreadyIngested(ILogger logger, string importId, string blob, string state);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Import {ImportId}: {Blob} is not a clock export: {Reason}")]
    public static partial void NotAnExport(ILogger logger, string importId, string blob, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Import {ImportId}: {Blob} became unreadable after line {Line} ({ErrorType}); see its report")]
    public static partial void Unreadable(ILogger logger, string importId, string blob, long line, string errorType);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Import {ImportId} ({Blob}): {Lines} lines, {Accepted} accepted, {Rejected} rejected, {Duplicates} duplicates, {AlreadyImported} already imported, {Batches} batches")]
    public static partial void Ingested(ILogger logger, string importId, string blob, long lines, long accepted, long rejected, long duplicates, long alreadyImported, int batches);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "{Blob} was deleted before its ingest began; nothing to do")]
    public static partial void Gone(ILogger logger, string blob);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information,
        Message = "Import {ImportId} ({Blob}) is held by another run until {LeaseUntil}; standing by without sending until it finishes or its lease lapses")]
    public static partial void StandingBy(ILogger logger, string importId, string blob, DateTimeOffset? leaseUntil);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Import {ImportId} ({Blob}): this run stopped: {Reason}")]
    public static partial void RunEnded(ILogger logger, string importId, string blob, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning,
        Message = "Import {ImportId} ({Blob}) ended early: {Reason}; batches 1-{ReleasedAfter} are on the queue, the rest is left to the blob's next version")]
    public static partial void Superseded(ILogger logger, string importId, string blob, string reason, int releasedAfter);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning,
        Message = "Import {ImportId} ({Blob}) adopts unfinished import {Previous} of the blob's earlier version: its batches after {ReleasedAfter} are claimed again here")]
    public static partial void Adopted(ILogger logger, string importId, string blob, string previous, int releasedAfter);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information,
        Message = "Import {ImportId} ({Blob}) is not in time order: after record {Record} its {Days} days are read a span at a time, in {Passes} more passes")]
    public static partial void ByDayWindows(ILogger logger, string importId, string blob, long record, int days, int passes);
}
