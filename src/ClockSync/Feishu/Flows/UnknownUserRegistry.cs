namespace ClockSync.Feishu.Flows;

/// <summary>
/// This process's view of which Feishu ids are known and which are refused, shared by every delivery the moment Feishu
/// answers: the client records the users it accepted and convicts the ones it refused (whole-request isolation or a
/// partial answer), and the <c>UnknownUsers</c> store feeds in what the table says (the truth across processes).
/// </summary>
/// <remarks>
/// Why a claim: with a whole-request <c>1220004</c>, batches that hold the same new user and are posted at once are
/// each refused whole and each isolated by halving (about a dozen calls apiece) before the first isolation has convicted
/// anyone. A delivery therefore first claims the users Feishu has neither accepted nor refused in this process; a
/// delivery whose users overlap a claim waits (bounded) until that delivery's post — isolation included — has ended,
/// then sets the convicted users aside and posts the rest. Users seen before are never claimed, so a warm process
/// posts without waiting.
/// </remarks>
public sealed class UnknownUserRegistry(TimeProvider time)
{
    /// <summary>
    /// A delivery waits at most this long for another one's claim: an isolation of 50 users is at most 98 calls; past
    /// that the delivery posts anyway (a few extra calls rather than a batch held up behind a throttled one).
    /// </summary>
    public static readonly TimeSpan MaxClaimWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A conviction made here counts at least this long even if the table read says otherwise: the table row is
    /// written after the post returns, so a read in between would not have it yet.
    /// </summary>
    public static readonly TimeSpan KeepLocalConviction = TimeSpan.FromMinutes(1);

    /// <summary>The accepted set is cleared when it grows past this (then it is relearned).</summary>
    private const int AcceptedBound = 200_000;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _accepted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _convictedHere = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _claims = new(StringComparer.Ordinal);
    private HashSet<string> _refused = new(StringComparer.Ordinal);

    /// <summary>The ids refused so far (a snapshot: later convictions do not change it).</summary>
    public IReadOnlySet<string> Refused
    {
        get
        {
            lock (_gate)
            {
                return _refused;
            }
        }
    }

    /// <summary>Whether Feishu accepted a record of this user in this process (and has not refused it since).</summary>
    public bool IsAccepted(string feishuId)
    {
        lock (_gate)
        {
            return _accepted.Contains(feishuId);
        }
    }

    public void MarkAccepted(IEnumerable<string> feishuIds)
    {
        ArgumentNullException.ThrowIfNull(feishuIds);
        lock (_gate)
        {
            if (_accepted.Count > AcceptedBound)
            {
                _accepted.Clear();
            }

            foreach (var id in feishuIds)
            {
                if (!_refused.Contains(id))
                {
                    _accepted.Add(id);
                }
            }
        }
    }

    /// <summary>Feishu refused these users: every delivery of this process sees it from now on.</summary>
    public void Convict(IEnumerable<string> feishuIds)
    {
        ArgumentNullException.ThrowIfNull(feishuIds);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var refused = new HashSet<string>(_refused, StringComparer.Ordinal);
            foreach (var id in feishuIds)
            {
                refused.Add(id);
                _accepted.Remove(id);
                _convictedHere[id] = now;
            }

            _refused = refused;
        }
    }

    /// <summary>A user is no longer taken as refused (accepted after all, or retried by an operator).</summary>
    public void Forget(string feishuId)
    {
        lock (_gate)
        {
            _convictedHere.Remove(feishuId);
            _refused = new HashSet<string>(_refused.Where(id => !string.Equals(id, feishuId, StringComparison.Ordinal)), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// The table's refused ids, as read now: they replace this process's view, except convictions made here within
    /// <see cref="KeepLocalConviction"/> (their rows may not be written yet).
    /// </summary>
    public IReadOnlySet<string> Refresh(IEnumerable<string> tableIds)
    {
        ArgumentNullException.ThrowIfNull(tableIds);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var refused = new HashSet<string>(tableIds, StringComparer.Ordinal);
            foreach (var (id, at) in _convictedHere.ToList())
            {
                if (now - at < KeepLocalConviction)
                {
                    refused.Add(id);
                }
                else
                {
                    _convictedHere.Remove(id);
                }
            }

            _refused = refused;
            return _refused;
        }
    }

    /// <summary>
    /// Claims the users among <paramref name="feishuIds"/> that Feishu has neither accepted nor refused here, after
    /// waiting (at most <see cref="MaxClaimWait"/>) for any other delivery holding one of them. Dispose the claim when
    /// the post has ended; its convictions are in <see cref="Refused"/> by then.
    /// </summary>
    public async Task<IDisposable> ClaimAsync(IEnumerable<string> feishuIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feishuIds);
        var users = feishuIds.Distinct(StringComparer.Ordinal).ToList();
        var started = time.GetTimestamp();
        while (true)
        {
            Task busy;
            lock (_gate)
            {
                var unseen = users.Where(id => !_accepted.Contains(id) && !_refused.Contains(id)).ToList();
                var holder = unseen.Select(id => _claims.GetValueOrDefault(id)).FirstOrDefault(claim => claim is not null);
                if (holder is null)
                {
                    var claim = new Claim(this, unseen, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    foreach (var id in unseen)
                    {
                        _claims[id] = claim.Done;
                    }

                    return claim;
                }

                busy = holder.Task;
            }

            var left = MaxClaimWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return Claim.None;
            }

            try
            {
                await busy.WaitAsync(left, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return Claim.None;
            }
        }
    }

    private void Release(Claim claim)
    {
        lock (_gate)
        {
            foreach (var id in claim.Users)
            {
                if (_claims.TryGetValue(id, out var held) && held == claim.Done)
                {
                    _claims.Remove(id);
                }
            }
        }

        claim.Done.TrySetResult();
    }

    private sealed class Claim(UnknownUserRegistry? owner, List<string> users, TaskCompletionSource done) : IDisposable
    {
        public static readonly Claim None = new(null, [], new TaskCompletionSource());

        public List<string> Users { get; } = users;

        public TaskCompletionSource Done { get; } = done;

        public void Dispose() => owner?.Release(this);
    }
}
