namespace ClockSync.FeishuSandbox;

/// <summary>
/// The fault script (docs/feishu-contract.md §5: 5xx, slow responses, dropped connections, token revocation — for the next N calls,
/// on a call count, or with a seeded probability). Rules are checked in the order scheduled; the first that fires on
/// a request is played and later rules do not see that request.
/// </summary>
public sealed class SandboxFaults
{
    private readonly Lock _gate = new();
    private readonly List<SandboxFaultRule> _rules = [];
    private readonly Lock _randomGate = new();
    private readonly Random _random;

    internal SandboxFaults(int seed) => _random = new Random(seed);

    /// <summary>The rules scheduled (exhausted ones included until <see cref="Clear"/>).</summary>
    public IReadOnlyList<SandboxFaultRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>Plays <paramref name="fault"/> on the next <paramref name="count"/> calls to <paramref name="on"/>.</summary>
    public SandboxFaultRule NextCalls(int count, SandboxFault fault, SandboxEndpoints on = SandboxEndpoints.BatchCreate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return Add(fault, on, new SandboxFaultTrigger.NextCalls(count));
    }

    /// <summary>Plays <paramref name="fault"/> on the <paramref name="callNumber"/>-th call to <paramref name="on"/>
    /// from now (1 = the next call).</summary>
    public SandboxFaultRule OnCall(int callNumber, SandboxFault fault, SandboxEndpoints on = SandboxEndpoints.BatchCreate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callNumber);
        return Add(fault, on, new SandboxFaultTrigger.OnCall(callNumber));
    }

    /// <summary>Plays <paramref name="fault"/> on each call to <paramref name="on"/> with the given probability
    /// (seeded by <see cref="SandboxSettings.RandomSeed"/>), at most <paramref name="maxFires"/> times.</summary>
    public SandboxFaultRule WithProbability(
        double probability, SandboxFault fault, SandboxEndpoints on = SandboxEndpoints.BatchCreate, int? maxFires = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(probability);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        return Add(fault, on, new SandboxFaultTrigger.WithProbability(probability, maxFires));
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The rule whose fault to play on this call, if any.</summary>
    internal SandboxFaultRule? Next(SandboxEndpoints endpoint)
    {
        foreach (var rule in Rules)
        {
            if (rule.TryFire(endpoint, NextRandom))
            {
                return rule;
            }
        }

        return null;
    }

    private double NextRandom()
    {
        lock (_randomGate)
        {
            return _random.NextDouble();
        }
    }

    private SandboxFaultRule Add(SandboxFault fault, SandboxEndpoints on, SandboxFaultTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var rule = new SandboxFaultRule(fault, on, trigger);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }
}
