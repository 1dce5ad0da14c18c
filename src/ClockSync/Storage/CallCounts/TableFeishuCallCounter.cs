using System.Collections.Concurrent;
using System.Net;
using Azure;
using ClockSync.Feishu.Accounting;
using Microsoft.Extensions.Logging;

namespace ClockSync.Storage.CallCounts;

/// <summary>
/// Counts Feishu requests in memory (the HTTP handler calls <see cref="Count"/> synchronously, on every attempt) and
/// adds the counts to the <c>FeishuCalls</c> table when a flush runs, writing one row per app/day/endpoint per flush
/// instead of one per call. Each merge is a read–modify–write guarded by the row's ETag, so instances flushing at once
/// never lose an increment. A failed flush puts its deltas back for the next one; counts still pending when the process
/// dies are lost (the counts are an account for operators watching the quota, not the ledger).
/// </summary>
/// <remarks>
/// Within a process a flush is single-flight (<see cref="SingleFlightLoop"/>): twelve concurrent deliveries must not
/// race each other on the same rows. The post handler flushes through <see cref="FlushIfDueAsync"/>, at most once per
/// <see cref="FlushInterval"/>, so a busy instance spends a few table requests a minute on counts rather than two per
/// message; what a burst's last interval counted is written by the next due flush or the retry timer's run, which
/// flushes unconditionally.
/// </remarks>
public sealed partial class TableFeishuCallCounter : IFeishuCallCounter
{
    /// <summary>The shortest time between two flushes started by <see cref="FlushIfDueAsync"/>.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    private const int MaxConcurrencyRetries = 50;
    private const long NeverFlushed = long.MinValue;

    private readonly PipelineStorage _storage;
    private readonly ILogger<TableFeishuCallCounter> _logger;
    private readonly TimeProvider _time;
    private readonly SingleFlightLoop _flush;
    private readonly InMemoryFeishuCallCounter _sinceStart = new();
    private readonly ConcurrentDictionary<(string AppId, DateOnly Day, FeishuCallKind Kind), long[]> _pending = new();
    private long _lastFlushStarted = NeverFlushed;

    public TableFeishuCallCounter(PipelineStorage storage, ILogger<TableFeishuCallCounter> logger, TimeProvider? time = null)
    {
        _storage = storage;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _flush = new SingleFlightLoop(FlushPendingAsync);
    }

    public void Count(string appId, FeishuCallKind kind, DateTimeOffset sentAt)
    {
        _sinceStart.Count(appId, kind, sentAt);
        var cell = _pending.GetOrAdd((appId, DateOnly.FromDateTime(sentAt.UtcDateTime), kind), static _ => new long[1]);
        Interlocked.Increment(ref cell[0]);
    }

    /// <summary>What this process counted since it started (persisted or not).</summary>
    public IReadOnlyList<FeishuCallTally> Snapshot() => _sinceStart.Snapshot();

    /// <summary>
    /// Adds the counts not yet persisted to the table. Returns at once when another caller's flush is running (that
    /// flush runs once more for this call's counts). Never throws for a storage failure: it logs and keeps them.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _flush.RunAsync(cancellationToken);

    /// <summary>Flushes (as <see cref="FlushAsync"/>) unless a flush started less than <see cref="FlushInterval"/> ago.</summary>
    public Task FlushIfDueAsync(CancellationToken cancellationToken)
    {
        var last = Interlocked.Read(ref _lastFlushStarted);
        var now = _time.GetTimestamp();
        var due = last == NeverFlushed || _time.GetElapsedTime(last, now) >= FlushInterval;

        // Of the deliveries finding the flush due at once, the one that moves the start time runs it.
        return due && Interlocked.CompareExchange(ref _lastFlushStarted, now, last) == last ? FlushAsync(cancellationToken) : Task.CompletedTask;
    }

    private async Task FlushPendingAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastFlushStarted, _time.GetTimestamp());
        foreach (var (key, cell) in _pending)
        {
            var delta = Interlocked.Exchange(ref cell[0], 0);
            if (delta == 0)
            {
                continue;
            }

            try
            {
                await AddAsync(key.AppId, FeishuCallCountEntity.RowKeyFor(key.Day, key.Kind), delta, cancellationToken);
            }
            catch (Exception exception) when (exception is RequestFailedException or OperationCanceledException)
            {
                Interlocked.Add(ref cell[0], delta);
                LogFlushFailed(_logger, key.AppId, exception.GetType().Name);
                if (exception is OperationCanceledException)
                {
                    throw;
                }
            }
        }
    }

    private async Task AddAsync(string appId, string rowKey, long delta, CancellationToken cancellationToken)
    {
        var table = _storage.CallCounts;
        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<FeishuCallCountEntity>(appId, rowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    await table.AddEntityAsync(new FeishuCallCountEntity { PartitionKey = appId, RowKey = rowKey, Count = delta }, cancellationToken);
                    return;
                }

                var row = existing.Value!;
                row.Count += delta;
                await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException exception) when (
                exception.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && attempt < MaxConcurrencyRetries)
            {
                // Another instance created or changed the row meanwhile: read again and re-add.
            }
        }
    }

    /// <summary>
    /// The calls of <paramref name="appId"/> saved for the UTC month of <paramref name="day"/>, token requests left out
    /// (they do not count toward Feishu's quota). Counts not yet flushed are not included.
    /// </summary>
    public async Task<long> CountMonthAsync(string appId, DateOnly day, CancellationToken cancellationToken)
    {
        var first = new DateOnly(day.Year, day.Month, 1);
        var from = first.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var to = first.AddMonths(1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {appId} and RowKey ge {from} and RowKey lt {to}");
        long total = 0;
        await foreach (var row in _storage.CallCounts.QueryAsync<FeishuCallCountEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!row.RowKey.EndsWith("-" + nameof(FeishuCallKind.TenantToken), StringComparison.Ordinal))
            {
                total += row.Count;
            }
        }

        return total;
    }

    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning, Message = "Feishu call counts of app {AppId} could not be saved ({ErrorType}); kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, string appId, string errorType);
}
