using System.Collections.Concurrent;

namespace ClockSync.Feishu.Accounting;

/// <summary>The process-local call counter; the pipeline may persist its snapshots.</summary>
public sealed class InMemoryFeishuCallCounter : IFeishuCallCounter
{
    private readonly ConcurrentDictionary<(string AppId, DateOnly Day, FeishuCallKind Kind), long[]> _counts = new();

    public void Count(string appId, FeishuCallKind kind, DateTimeOffset sentAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        var day = DateOnly.FromDateTime(sentAt.UtcDateTime);
        var cell = _counts.GetOrAdd((appId, day, kind), static _ => new long[1]);
        Interlocked.Increment(ref cell[0]);
    }

    public IReadOnlyList<FeishuCallTally> Snapshot() =>
        _counts
            .Select(pair => new FeishuCallTally(pair.Key.AppId, pair.Key.Day, pair.Key.Kind, Interlocked.Read(ref pair.Value[0])))
            .OrderBy(tally => tally.UtcDay)
            .ThenBy(tally => tally.AppId, StringComparer.Ordinal)
            .ThenBy(tally => tally.Kind)
            .ToList();
}
