using System.Net;
using Azure;
using Azure.Data.Tables;
using ClockSync.Feishu.Accounting;

namespace ClockSync.Storage.Limits;

public sealed partial class SharedFeishuCallGate
{
    /// <summary>
    /// Reserves the next grant for the lane (single-flight: callers share the task): one slot for each caller waiting
    /// without one, at most <see cref="MaxSlotsPerGrant"/>, and budget calls up to <see cref="BudgetPerGrant"/>. True when
    /// budget calls are left (or there is no budget); false when the budget is used up and none could be reserved.
    /// </summary>
    private async Task<bool> ReserveAsync(Lane lane, int? budget)
    {
        // Not the caller's token: the reservation is shared by every caller waiting on it.
        await Task.Yield();
        try
        {
            await lane.Writer.WaitAsync();
            try
            {
                lock (lane.Gate)
                {
                    if (lane.Waiting + Expected(lane, _time.GetUtcNow().UtcTicks) <= lane.Slots.Count && (budget is null || lane.BudgetBalance > 0))
                    {
                        // The callers this was started for found slots meanwhile (an earlier grant covered them).
                        return true;
                    }
                }

                var slot = SlotTicks;
                var burst = BurstTicks;
                long start = 0;
                var count = 0;
                long budgetTaken = 0;
                long sentAt = 0;
                var warn = false;
                var written = await WriteAsync(lane, row =>
                {
                    var now = _time.GetUtcNow();
                    sentAt = _time.GetTimestamp();
                    long lead;
                    lock (lane.Gate)
                    {
                        // Counted at every attempt: callers that arrived while this write waited are served by it too,
                        // and those expected during the next write (the recent demand) get theirs ahead.
                        lead = lane.WriteTicks;
                        var most = Math.Max(MaxSlotsPerGrant, (Math.Min(lead, MaxLead.Ticks) / slot) + 2);
                        count = (int)Math.Clamp(lane.Waiting + Expected(lane, now.UtcTicks) - lane.Slots.Count, 0, most);
                    }

                    // When the row lags the clock, the grant starts when it can be back here, not in the past where
                    // its first slots would be dropped as late; slots between are ones nobody was waiting for.
                    // RateLimitBurst (the cell-rate algorithm's tolerance): after a quiet spell, up to that many slots
                    // of the whole app may lie in the past and leave at once; 1 (the default) is pure pacing.
                    start = Math.Max(Math.Max(row.NextSlotTicks, now.UtcTicks + Math.Min(lead, MaxLead.Ticks) - burst), row.PausedUntilTicks);
                    if (count > 0)
                    {
                        row.NextSlotTicks = start + (slot * count);
                    }

                    budgetTaken = 0;
                    warn = false;
                    if (budget is not { } cap)
                    {
                        return true;
                    }

                    var month = FeishuQuotaMonth.Of(now);
                    if (!string.Equals(row.BudgetMonth, month, StringComparison.Ordinal))
                    {
                        row.BudgetMonth = month;
                        row.BudgetReserved = 0;
                        row.BudgetWarned = false;
                    }

                    long balance;
                    lock (lane.Gate)
                    {
                        balance = lane.BudgetBalance;
                    }

                    budgetTaken = Math.Clamp(BudgetPerGrant - balance, 0, Math.Max(0, cap - row.BudgetReserved));
                    row.BudgetReserved += budgetTaken;
                    if (!row.BudgetWarned && row.BudgetReserved * 10 >= cap * 9L)
                    {
                        row.BudgetWarned = true;
                        warn = true;
                    }

                    return true;
                }, CancellationToken.None);

                lock (lane.Gate)
                {
                    // How long one write takes decides how far ahead the next grant must start (a moving average,
                    // so one slow answer does not push every grant out).
                    var took = _time.GetElapsedTime(sentAt).Ticks;
                    lane.WriteTicks = lane.WriteTicks == 0 ? took : ((3 * lane.WriteTicks) + took) / 4;
                    lane.PausedUntil = Math.Max(lane.PausedUntil, written.PausedUntilTicks);
                    for (var i = 0; i < count; i++)
                    {
                        lane.Slots.Enqueue(start + (i * slot));
                    }

                    Interlocked.Add(ref _slotsReserved, count);

                    lane.BudgetBalance += budgetTaken;
                    DropStale(lane, _time.GetUtcNow().UtcTicks);
                }

                if (warn)
                {
                    _metrics.CallBudgetWarning.Add(1);
                    LogBudgetWarning(_logger, lane.AppId, written.BudgetReserved, budget!.Value, written.BudgetMonth ?? string.Empty);
                }

                return budget is null || budgetTaken > 0 || lane.BudgetBalance > 0;
            }
            finally
            {
                lane.Writer.Release();
            }
        }
        finally
        {
            lock (lane.Gate)
            {
                lane.Reserving = null;
            }
        }
    }

    /// <summary>
    /// Read–modify–write of the app's row under its ETag. The last row written is kept, so an instance alone writes
    /// once per grant; a conflict (another instance wrote) reads it again. A storage fault is retried a few times,
    /// then thrown: nothing is sent without a reservation.
    /// </summary>
    private async Task<FeishuLimitEntity> WriteAsync(Lane lane, Func<FeishuLimitEntity, bool> change, CancellationToken cancellationToken)
    {
        var table = _storage.CallCounts;
        var failures = 0;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var row = lane.Row;
                if (row is null)
                {
                    var existing = await table.GetEntityIfExistsAsync<FeishuLimitEntity>(lane.AppId, FeishuLimitEntity.Key, cancellationToken: cancellationToken);
                    row = existing.HasValue ? existing.Value! : new FeishuLimitEntity { PartitionKey = lane.AppId };
                }

                var copy = Copy(row);
                change(copy);
                var response = row.ETag == default
                    ? await table.AddEntityAsync(copy, cancellationToken)
                    : await table.UpdateEntityAsync(copy, row.ETag, TableUpdateMode.Replace, cancellationToken);
                Interlocked.Increment(ref _writes);
                copy.ETag = response.Headers.ETag ?? default;
                lane.Row = copy.ETag == default ? null : copy;
                return copy;
            }
            catch (RequestFailedException exception) when (
                exception.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed && attempt < MaxWriteAttempts)
            {
                // Another instance reserved meanwhile: read its row and reserve after it.
                Interlocked.Increment(ref _conflicts);
                lane.Row = null;
            }
            catch (RequestFailedException exception) when (exception.Status == (int)HttpStatusCode.NotFound && attempt < MaxWriteAttempts)
            {
                // The table is missing (a fresh account): create it, then reserve.
                lane.Row = null;
                await _storage.EnsureCreatedAsync(cancellationToken);
            }
            catch (RequestFailedException exception) when (++failures < MaxStorageFailures)
            {
                // A write that timed out may have landed: read again, so our next reservation follows it.
                lane.Row = null;
                LogStorageFailed(_logger, lane.AppId, exception.Status);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * failures), _time, cancellationToken);
            }
        }
    }

    private static FeishuLimitEntity Copy(FeishuLimitEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        NextSlotTicks = row.NextSlotTicks,
        PausedUntilTicks = row.PausedUntilTicks,
        BudgetMonth = row.BudgetMonth,
        BudgetReserved = row.BudgetReserved,
        BudgetWarned = row.BudgetWarned,
    };
}
