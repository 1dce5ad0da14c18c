namespace ClockSync.FeishuSandbox;

/// <summary>A scheduled fault: when it fires, on which endpoints, and how often it has fired.</summary>
public sealed class SandboxFaultRule
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _firstFired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SandboxFaultTrigger _trigger;
    private int _seen;
    private int _fired;
    private bool _cancelled;

    internal SandboxFaultRule(SandboxFault fault, SandboxEndpoints endpoints, SandboxFaultTrigger trigger)
    {
        Fault = fault;
        Endpoints = endpoints;
        _trigger = trigger;
    }

    /// <summary>The fault played.</summary>
    public SandboxFault Fault { get; }

    /// <summary>The endpoints it applies to.</summary>
    public SandboxEndpoints Endpoints { get; }

    /// <summary>How many matching calls it has seen since scheduled.</summary>
    public int Seen
    {
        get
        {
            lock (_gate)
            {
                return _seen;
            }
        }
    }

    /// <summary>How many times it fired.</summary>
    public int Fired
    {
        get
        {
            lock (_gate)
            {
                return _fired;
            }
        }
    }

    /// <summary>Whether it can no longer fire.</summary>
    public bool IsExhausted
    {
        get
        {
            lock (_gate)
            {
                return _cancelled || _trigger.IsExhausted(_fired);
            }
        }
    }

    /// <summary>Completes when the fault has first taken effect — for a slow response, once its wait has started on
    /// the sandbox clock, so a test may advance the clock right after.</summary>
    public Task WaitUntilFiredAsync(CancellationToken cancellationToken = default) => _firstFired.Task.WaitAsync(cancellationToken);

    /// <summary>Stops the rule from firing again.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _cancelled = true;
        }
    }

    /// <summary>Counts a matching call and says whether the fault fires on it.</summary>
    internal bool TryFire(SandboxEndpoints endpoint, Func<double> nextRandom)
    {
        if ((Endpoints & endpoint) == 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (_cancelled || _trigger.IsExhausted(_fired))
            {
                return false;
            }

            _seen++;
            if (!_trigger.Fires(_seen, nextRandom))
            {
                return false;
            }

            _fired++;
        }

        return true;
    }

    /// <summary>Called by the dispatcher once the fault is in effect.</summary>
    internal void SignalInEffect() => _firstFired.TrySetResult();
}

/// <summary>When a rule fires, counted over the calls it matches since it was scheduled.</summary>
internal abstract record SandboxFaultTrigger
{
    public abstract bool Fires(int callNumber, Func<double> nextRandom);

    public abstract bool IsExhausted(int fired);

    /// <summary>The next <c>Count</c> matching calls.</summary>
    public sealed record NextCalls(int Count) : SandboxFaultTrigger
    {
        public override bool Fires(int callNumber, Func<double> nextRandom) => callNumber <= Count;

        public override bool IsExhausted(int fired) => fired >= Count;
    }

    /// <summary>Exactly the <c>CallNumber</c>-th matching call.</summary>
    public sealed record OnCall(int CallNumber) : SandboxFaultTrigger
    {
        public override bool Fires(int callNumber, Func<double> nextRandom) => callNumber == CallNumber;

        public override bool IsExhausted(int fired) => fired >= 1;
    }

    /// <summary>Each matching call with a seeded probability, at most <c>MaxFires</c> times.</summary>
    public sealed record WithProbability(double Probability, int? MaxFires) : SandboxFaultTrigger
    {
        public override bool Fires(int callNumber, Func<double> nextRandom) => nextRandom() < Probability;

        public override bool IsExhausted(int fired) => fired >= (MaxFires ?? int.MaxValue);
    }
}
