namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>
/// A token bucket per app and endpoint, refilled continuously from the sandbox clock (docs/feishu-contract.md §2: 50 requests/s per
/// app; the contract lists the limit per API, so <c>batch_create</c> and <c>query</c> have separate buckets).
/// </summary>
internal sealed class TokenBucketLimiter(SandboxRateLimit limit, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string App, SandboxEndpoints Endpoint), Bucket> _buckets = [];

    public SandboxRateLimit Limit => limit;

    /// <summary>Takes one token; when none is left, says how long until one is.</summary>
    public (bool Allowed, TimeSpan RetryAfter) TryAcquire(string appId, SandboxEndpoints endpoint)
    {
        if (!limit.Enabled)
        {
            return (true, TimeSpan.Zero);
        }

        var now = time.GetUtcNow();
        var capacity = (double)limit.EffectiveBurst;
        lock (_gate)
        {
            if (!_buckets.TryGetValue((appId, endpoint), out var bucket))
            {
                bucket = new Bucket { Tokens = capacity, RefilledAt = now };
                _buckets[(appId, endpoint)] = bucket;
            }

            var elapsed = Math.Max(0, (now - bucket.RefilledAt).TotalSeconds);
            bucket.Tokens = Math.Min(capacity, bucket.Tokens + (elapsed * limit.RequestsPerSecond));
            bucket.RefilledAt = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return (true, TimeSpan.Zero);
            }

            return (false, TimeSpan.FromSeconds((1 - bucket.Tokens) / limit.RequestsPerSecond));
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _buckets.Clear();
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset RefilledAt { get; set; }
    }
}
