namespace ClockSync.FeishuSandbox;

/// <summary>
/// The flows the sandbox accepted. Appends are atomic per request, so an <c>idempotent_id</c> is stored at most once
/// even when two resends race (docs/feishu-contract.md §2: "唯一幂等键").
/// </summary>
public sealed class SandboxLedger
{
    private readonly Lock _gate = new();
    private readonly List<SandboxFlowRecord> _records = [];
    private readonly Dictionary<string, SandboxFlowRecord> _byIdempotentId = new(StringComparer.Ordinal);
    private long _nextRecordId = 7_000_000_000_000_000_001;

    /// <summary>Number of accepted flows.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>A copy of the accepted flows in the order they were accepted.</summary>
    public IReadOnlyList<SandboxFlowRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }

    /// <summary>The flow stored under an <c>idempotent_id</c>, if any.</summary>
    public SandboxFlowRecord? FindByIdempotentId(string idempotentId)
    {
        lock (_gate)
        {
            return _byIdempotentId.GetValueOrDefault(idempotentId);
        }
    }

    /// <summary>Forgets one flow (as if an admin deleted it in Feishu), so reconciliation can be tested; false when unknown.</summary>
    public bool Remove(string idempotentId)
    {
        lock (_gate)
        {
            if (!_byIdempotentId.Remove(idempotentId, out var flow))
            {
                return false;
            }

            _records.Remove(flow);
            return true;
        }
    }

    /// <summary>Forgets every flow.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
            _byIdempotentId.Clear();
        }
    }

    /// <summary>
    /// Stores the drafts of one request in order. A draft whose <c>idempotent_id</c> is already stored (earlier or
    /// in the same request) is not stored again; its result names the flow stored first.
    /// </summary>
    internal IReadOnlyList<LedgerAppendResult> Append(IReadOnlyList<SandboxFlowRecord> drafts)
    {
        var results = new List<LedgerAppendResult>(drafts.Count);
        lock (_gate)
        {
            foreach (var draft in drafts)
            {
                if (draft.IdempotentId is { } key && _byIdempotentId.TryGetValue(key, out var first))
                {
                    results.Add(new LedgerAppendResult(first, IsDuplicate: true));
                    continue;
                }

                var stored = draft with { RecordId = (_nextRecordId++).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                _records.Add(stored);
                if (stored.IdempotentId is { } newKey)
                {
                    _byIdempotentId[newKey] = stored;
                }

                results.Add(new LedgerAppendResult(stored, IsDuplicate: false));
            }
        }

        return results;
    }
}

/// <summary>What became of one draft: the stored flow, and whether it had been stored before.</summary>
internal sealed record LedgerAppendResult(SandboxFlowRecord Stored, bool IsDuplicate);
