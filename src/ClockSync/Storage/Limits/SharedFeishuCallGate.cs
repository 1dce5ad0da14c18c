using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using ClockSync.Feishu.Http;
using ClockSync.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Storage.Limits;

/// <summary>
/// One rate limit and one monthly call budget for an app, however many instances post: each instance reserves small
/// grants of send slots (and budget calls) from one table row under its ETag, and spends them locally.
/// </summary>
/// <remarks>
/// <para>The row holds the next free slot time (a generic cell-rate algorithm shared through storage). A grant is a run
/// of consecutive slots, 1/rate apart, starting at that time (or, when the row lags, as soon as the grant can be back
/// from storage); the row moves past them, so no two instances ever hold the same moment and together they send at most
/// the rate. A slot is used at its moment or up to one slot late, never early, so no 1 s window, fixed or sliding,
/// sees more than the limit (plus at most one late slot): pacing fits every reading of Feishu's "50 a second"
/// (docs/feishu-contract.md §2), where the sandbox's full bucket would also take bursts Feishu need not.</para>
/// <para>A grant is sized to the demand: as many slots as this instance has callers waiting without one, plus as many
/// as took a slot here during the last write's time (those expected while this write is on its way), at most
/// <see cref="MaxSlotsPerGrant"/>. An instance whose callers are busy elsewhere (reading the ledger, deleting messages)
/// therefore does not take slots another instance's callers are waiting for, and the grants of several instances
/// interleave by demand (a fixed grant of 10 slots let about a third pass unused with three hosts on a loaded
/// machine). The row runs ahead of the clock by the demand waiting in every instance, so a grant is mostly in the
/// future when it is taken;
/// when the row lags, a grant starts as far ahead as one write takes here (measured), so its first slots are not
/// already late when it arrives. <see cref="FeishuOptions.RateLimitBurst"/> is the app's tolerance: after a quiet
/// spell that many slots may lie in the past and leave at once (1, the default, is pure pacing).</para>
/// <para>Why slots rather than a bucket of tokens: a slot is only good at its moment. An instance that dies takes at
/// most the slots its waiting callers held (a fraction of a second) with it, and nobody ever waits for it to come
/// back; a grant that arrives late because storage was slow has its past slots dropped, not caught up — slow storage
/// means fewer requests, never a burst. A request never leaves without a slot, so with storage down nothing is sent.</para>
/// <para>A 429 moves the row's next slot and pause past the reset time, so every instance's next grant starts after it;
/// the instance that saw the 429 also drops its own slots before it. Slots others already hold still go: the price of
/// not reading storage before every request.</para>
/// <para>The budget is reserved the same way, <see cref="BudgetPerGrant"/> calls at a time in the same write, so N
/// instances can never pass it together; calls reserved by an instance that stops are not given back (the budget errs
/// towards calling less). Every call to a counted API takes one, including those Feishu answers with an error (which
/// Feishu itself does not count): the budget is a cap, not an exact account.</para>
/// </remarks>
public sealed partial class SharedFeishuCallGate : IFeishuCallGate
{
    /// <summary>
    /// The most send slots one reservation takes while storage answers quickly: a fifth of a second at 50/s, so a dead
    /// instance's share is back at once. When one write takes longer than that, a grant may cover one write's time, or
    /// an instance alone could not keep up with the rate.
    /// </summary>
    public const int MaxSlotsPerGrant = 10;

    /// <summary>Budget calls per reservation: "a few", so unused reservations cost the budget little.</summary>
    public const int BudgetPerGrant = 10;

    private const int MaxWriteAttempts = 50;

    /// <summary>
    /// The most a new grant starts ahead of the clock when the row lags it (the time one write to storage takes, as
    /// measured). Bounded so a storage stall does not push the next slot far out.
    /// </summary>
    private static readonly TimeSpan MaxLead = TimeSpan.FromMilliseconds(500);
    private const int MaxStorageFailures = 3;

    private readonly PipelineStorage _storage;
    private readonly IOptionsMonitor<FeishuOptions> _options;
    private readonly PipelineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedFeishuCallGate> _logger;
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private long _slotsUnused;
    private long _slotsReserved;
    private long _writes;
    private long _conflicts;

    public SharedFeishuCallGate(
        PipelineStorage storage, IOptionsMonitor<FeishuOptions> options, PipelineMetrics metrics, TimeProvider time, ILogger<SharedFeishuCallGate> logger)
    {
        _storage = storage;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Slots this instance reserved and let pass unused (late, or nobody was waiting): capacity lost, not overshoot.</summary>
    public long SlotsUnused => Interlocked.Read(ref _slotsUnused);

    /// <summary>Slots this instance reserved.</summary>
    public long SlotsReserved => Interlocked.Read(ref _slotsReserved);

    /// <summary>Writes to the row this instance made (reservations and 429 pauses), and how many lost an ETag race and were redone.</summary>
    public (long Writes, long Conflicts) RowWrites => (Interlocked.Read(ref _writes), Interlocked.Read(ref _conflicts));

    /// <summary>How far before the clock a slot may lie and still be used: (<see cref="FeishuOptions.RateLimitBurst"/> - 1) slots.</summary>
    private long BurstTicks => SlotTicks * (_options.CurrentValue.RateLimitBurst - 1);

    private long SlotTicks => (long)Math.Ceiling(TimeSpan.TicksPerSecond / _options.CurrentValue.RequestsPerSecond);

    public async ValueTask<FeishuAdmission> EnterAsync(string appId, FeishuCallKind kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        var lane = _lanes.GetOrAdd(appId, static id => new Lane(id));

        // The token call does not count against the quota; it still takes a slot.
        var budget = kind == FeishuCallKind.TenantToken ? null : _options.CurrentValue.MonthlyCallBudget;

        // Counted in the lane's demand from the first miss until a slot is taken, so grants are sized to the callers
        // actually waiting.
        var waiting = false;
        try
        {
            while (true)
            {
                Task<bool> reservation;
                long? slot = null;
                lock (lane.Gate)
                {
                    DropStale(lane, _time.GetUtcNow().UtcTicks);
                    if (lane.Slots.Count > 0 && (budget is null || lane.BudgetBalance > 0))
                    {
                        slot = lane.Slots.Dequeue();
                        if (budget is not null)
                        {
                            lane.BudgetBalance--;
                        }

                        if (waiting)
                        {
                            lane.Waiting--;
                            waiting = false;
                        }

                        var now = _time.GetUtcNow().UtcTicks;
                        lane.Taken.Enqueue(now);
                        if (lane.Reserving is null && lane.Slots.Count < Expected(lane, now))
                        {
                            // Callers keep coming: reserve for the ones that will arrive while the write is on its way,
                            // so their slots are there when they are (no gap in the row while a grant is written).
                            lane.Reserving = ReserveAsync(lane, budget);
                            ObserveFailure(lane.Reserving);
                        }

                        reservation = Task.FromResult(true);
                    }
                    else
                    {
                        if (!waiting)
                        {
                            lane.Waiting++;
                            waiting = true;
                        }

                        reservation = lane.Reserving ??= ReserveAsync(lane, budget);
                    }
                }

                if (slot is { } mine)
                {
                    var wait = TimeSpan.FromTicks(mine - _time.GetUtcNow().UtcTicks);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, cancellationToken);
                    }

                    return FeishuAdmission.Go;
                }

                var budgetLeft = await reservation.WaitAsync(cancellationToken);
                if (!budgetLeft && budget is not null)
                {
                    lock (lane.Gate)
                    {
                        if (lane.BudgetBalance == 0)
                        {
                            return FeishuAdmission.Refuse(string.Create(CultureInfo.InvariantCulture,
                                $"the app's monthly call budget of {budget} calls (ClockSync__Feishu__MonthlyCallBudget) is used up for {FeishuQuotaMonth.Of(_time.GetUtcNow())}; no call was made"));
                        }
                    }
                }
            }
        }
        finally
        {
            if (waiting)
            {
                // Cancelled or refused while waiting: no longer part of the demand.
                lock (lane.Gate)
                {
                    lane.Waiting--;
                }
            }
        }
    }

    public async ValueTask ThrottledAsync(string appId, TimeSpan pause, CancellationToken cancellationToken)
    {
        if (pause <= TimeSpan.Zero)
        {
            return;
        }

        var lane = _lanes.GetOrAdd(appId, static id => new Lane(id));
        var until = (_time.GetUtcNow() + pause).UtcTicks;
        lock (lane.Gate)
        {
            lane.PausedUntil = Math.Max(lane.PausedUntil, until);
            DropStale(lane, _time.GetUtcNow().UtcTicks);
        }

        await lane.Writer.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(lane, row =>
            {
                row.PausedUntilTicks = Math.Max(row.PausedUntilTicks, until);
                row.NextSlotTicks = Math.Max(row.NextSlotTicks, until);
                return true;
            }, cancellationToken);
        }
        catch (RequestFailedException exception)
        {
            // This instance pauses anyway; the others learn of the 429 from their own.
            LogStorageFailed(_logger, appId, exception.Status);
        }
        finally
        {
            lane.Writer.Release();
        }
    }

    /// <summary>Calls each app reserved from its budget in the current quota month (for <c>clocksync status</c>).</summary>
    public async Task<IReadOnlyList<(string AppId, long Reserved)>> ReservedThisMonthAsync(CancellationToken cancellationToken)
    {
        var month = FeishuQuotaMonth.Of(_time.GetUtcNow());
        var filter = TableClient.CreateQueryFilter($"RowKey eq {FeishuLimitEntity.Key} and BudgetMonth eq {month}");
        var apps = new List<(string AppId, long Reserved)>();
        await foreach (var row in _storage.CallCounts.QueryAsync<FeishuLimitEntity>(filter, cancellationToken: cancellationToken))
        {
            apps.Add((row.PartitionKey, row.BudgetReserved));
        }

        return apps;
    }

    /// <summary>
    /// Drops the lane's slots that have passed (more than one slot late, beyond the burst allowance) or fall inside a
    /// pause. Caller holds the lane's lock.
    /// </summary>
    private void DropStale(Lane lane, long now)
    {
        var late = SlotTicks + BurstTicks;
        while (lane.Slots.Count > 0 && (lane.Slots.Peek() < now - late || lane.Slots.Peek() < lane.PausedUntil))
        {
            lane.Slots.Dequeue();
            Interlocked.Increment(ref _slotsUnused);
        }
    }

    /// <summary>
    /// Callers expected during the next write to the row: as many as took a slot here during the last write's time
    /// (plus one slot's margin), but no more than the rate allows in that time (a burst is not a rate). Zero when
    /// nobody has been calling, so an idle instance reserves nothing ahead. Caller holds the lane's lock.
    /// </summary>
    private long Expected(Lane lane, long now)
    {
        var slot = SlotTicks;
        var window = Math.Min(lane.WriteTicks, MaxLead.Ticks) + slot;
        while (lane.Taken.Count > 0 && lane.Taken.Peek() < now - window)
        {
            lane.Taken.Dequeue();
        }

        return Math.Min(lane.Taken.Count, (window / slot) + 1);
    }

    /// <summary>A prefetch nobody awaits: its failure is logged where it happens, and the next caller reserves again.</summary>
    private static void ObserveFailure(Task task) =>
        _ = task.ContinueWith(static done => _ = done.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    [LoggerMessage(EventId = 4400, Level = LogLevel.Warning,
        Message = "Feishu app {AppId} has reserved {Reserved} of its monthly call budget of {Budget} for {Month} (90 % or more); at 100 % posting pauses until the month changes or ClockSync__Feishu__MonthlyCallBudget is raised")]
    private static partial void LogBudgetWarning(ILogger logger, string appId, long reserved, int budget, string month);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Feishu app {AppId}: the shared call limit could not be written (HTTP {Status}); sending less until it can")]
    private static partial void LogStorageFailed(ILogger logger, string appId, int status);
}
