using System.Globalization;
using ClockSync.Feishu.Flows;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Limits;

/// <summary>
/// Two instances of the pipeline's Feishu client — each with its own service provider, storage clients and gate — share
/// one rate limit and one monthly budget through Azurite, counted at the sandbox.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class SharedCallGateTests(AzuriteFixture azurite)
{
    /// <summary>Only guards against a hang; never synchronises anything.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_instances_together_never_send_faster_than_the_one_limit()
    {
        const int rate = 40;
        // The sandbox's bucket holds one second's worth (its default), so a stalled machine delaying requests on their way
        // does not turn into 429s; what it checks is the rate over time, which two per-process limiters would double.
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = new SandboxRateLimit(rate) });
        var table = AzuriteFixture.UniqueName("Calls")[..20];
        await using var first = Instance.Start(azurite, sandbox, table, rate);
        await using var second = Instance.Start(azurite, sandbox, table, rate);

        using var stop = new CancellationTokenSource(Guard);
        var sent = 0;
        async Task CallerAsync(Instance instance, int caller)
        {
            for (var i = 0; Interlocked.Increment(ref sent) <= 4 * rate; i++)
            {
                var outcome = await instance.PostAsync($"{instance.Name}-{caller}-{i}", stop.Token);
                Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).SelectMany(caller => new[] { CallerAsync(first, caller), CallerAsync(second, caller) }));

        var calls = BatchCreates(sandbox);
        Assert.Equal(4 * rate, calls.Count);
        Assert.DoesNotContain(calls, call => call.Status == 429);

        // Counted at the sandbox: beyond its full bucket, the calls took at least the time the rate allows. Two
        // per-process limiters would have taken half of it (and been answered 429).
        var span = (calls.Max(call => call.Time) - calls.Min(call => call.Time)).TotalSeconds;
        Assert.True(span >= 0.95 * ((4 * rate) - rate - 1) / rate, $"{calls.Count} calls in {span:F2} s");
        Assert.True(first.Accepted > 0 && second.Accepted > 0, $"both instances post ({first.Accepted} and {second.Accepted})");
    }

    [Fact]
    public async Task An_instance_killed_while_holding_slots_leaves_its_share_to_the_other_within_a_second()
    {
        const int rate = 20;
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = new SandboxRateLimit(rate) });
        var table = AzuriteFixture.UniqueName("Calls")[..20];
        await using var survivor = Instance.Start(azurite, sandbox, table, rate);
        var victim = Instance.Start(azurite, sandbox, table, rate);

        using var survivorStop = new CancellationTokenSource(Guard);
        using var victimStop = new CancellationTokenSource(Guard);
        // Enough callers that a slow answer on a loaded machine does not cap an instance below the whole limit: what is
        // measured is the gate, not how many calls one instance keeps in flight.
        var survivorCallers = Enumerable.Range(0, 12).Select(caller => survivor.PostUntilAsync($"s{caller}", survivorStop.Token)).ToList();
        var victimCallers = Enumerable.Range(0, 12).Select(caller => victim.PostUntilAsync($"v{caller}", victimStop.Token)).ToList();

        // Both post for a while, then the victim dies mid-flight: its callers stop and its process state is gone, the
        // slots it reserved in storage are never used or given back.
        await WaitForAsync(() => victim.Accepted >= 2 * rate && survivor.Accepted >= 2 * rate);
        await victimStop.CancelAsync();
        await Task.WhenAll(victimCallers);
        await victim.DisposeAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await WaitForAsync(() => DateTimeOffset.UtcNow > killedAt.AddSeconds(3));
        await survivorStop.CancelAsync();
        await Task.WhenAll(survivorCallers);

        // From one second after the kill the survivor has the victim's share back, nobody waits for it: it sends at least
        // three quarters of the whole limit, or (compared with itself, as a loaded machine slows both periods alike) at
        // least one and a half times what it sent while sharing.
        var sharing = survivor.AcceptedBetween(killedAt.AddSeconds(-2), killedAt);
        var alone = survivor.AcceptedBetween(killedAt.AddSeconds(1), killedAt.AddSeconds(3));
        Assert.True(alone >= 0.75 * 2 * rate || alone >= 1.5 * sharing, $"{sharing} calls in the 2 s before the kill, {alone} in the 2 s from 1 s after it (limit {rate}/s)");
        Assert.DoesNotContain(BatchCreates(sandbox), call => call.Status == 429);
    }

    [Fact]
    public async Task The_burst_setting_lets_that_many_calls_of_both_instances_together_leave_at_once_and_paces_the_rest()
    {
        const int rate = 2;
        const int burst = 10;
        const int perInstance = 6;
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = SandboxRateLimit.Off });
        var table = AzuriteFixture.UniqueName("Calls")[..20];
        await using var first = Instance.Start(azurite, sandbox, table, rate, burst: burst);
        await using var second = Instance.Start(azurite, sandbox, table, rate, burst: burst);
        using var stop = new CancellationTokenSource(Guard);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, perInstance).SelectMany(caller => new[]
        {
            first.PostAsync($"a{caller}", stop.Token), second.PostAsync($"b{caller}", stop.Token),
        }));

        Assert.All(outcomes, outcome => Assert.IsType<FeishuBatchOutcome.Accepted>(outcome));
        var calls = BatchCreates(sandbox).Select(call => call.Time).Order().ToList();
        var span = (calls[^1] - calls[0]).TotalSeconds;

        // The burst is the app's, not each instance's: the calls beyond it (2 tokens and 12 posts share 10 at once) wait
        // their paced slots, so the posts take at least the time of those beyond the burst ...
        Assert.True(span >= 0.95 * ((2 * perInstance) - burst) / rate, $"{calls.Count} calls in {span:F2} s");
        // ... while the first 8 posts left together: pure pacing would have spaced them 1/rate apart (3.5 s).
        var burstSpan = (calls[burst - 3] - calls[0]).TotalSeconds;
        Assert.True(burstSpan < 2.0, $"the first {burst - 2} posts took {burstSpan:F2} s: the burst was not honoured (at {string.Join(", ", calls.Select(call => (call - calls[0]).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s)");
    }

    [Fact]
    public async Task Two_instances_never_pass_the_monthly_budget_together_warn_once_and_go_on_when_it_is_raised()
    {
        using var warnings = new MetricCounter("ClockSync.CallBudgetWarning");
        await using var sandbox = await FeishuSandboxServer.StartAsync(new SandboxSettings { RateLimit = SandboxRateLimit.Off });
        var table = AzuriteFixture.UniqueName("Calls")[..20];
        await using var first = Instance.Start(azurite, sandbox, table, rate: 200, budget: 25);
        await using var second = Instance.Start(azurite, sandbox, table, rate: 200, budget: 25);
        using var stop = new CancellationTokenSource(Guard);

        var refusals = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(caller => new[]
        {
            first.PostUntilRefusedAsync($"a{caller}", stop.Token), second.PostUntilRefusedAsync($"b{caller}", stop.Token),
        }));

        Assert.Equal(25, BatchCreates(sandbox).Count);
        Assert.All(refusals, refusal => Assert.Contains("monthly call budget of 25", refusal.Error.Message, StringComparison.Ordinal));
        Assert.Equal(1, warnings["ClockSync.CallBudgetWarning"]);

        first.SetBudget(40);
        second.SetBudget(40);
        await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(caller => new[]
        {
            first.PostUntilRefusedAsync($"c{caller}", stop.Token), second.PostUntilRefusedAsync($"d{caller}", stop.Token),
        }));

        Assert.Equal(40, BatchCreates(sandbox).Count);
        Assert.Equal(40, sandbox.Ledger.Count);
    }

    private static List<SandboxRequestRecord> BatchCreates(FeishuSandboxServer sandbox) =>
        sandbox.Requests.Snapshot().Where(request => request.Endpoint == SandboxEndpoints.BatchCreate).ToList();

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Guard);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    /// <summary>One instance: its own configuration, service provider and storage clients.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private static int _instances;
        private readonly ServiceProvider _services;
        private readonly IConfigurationRoot _configuration;
        private readonly List<DateTimeOffset> _acceptedAt = [];
        private int _accepted;

        private Instance(ServiceProvider services, IConfigurationRoot configuration, string name)
        {
            _services = services;
            _configuration = configuration;
            Name = name;
        }

        public string Name { get; }

        public int Accepted => Volatile.Read(ref _accepted);

        public static Instance Start(AzuriteFixture azurite, FeishuSandboxServer sandbox, string callsTable, int rate, int? budget = null, int burst = 1)
        {
            azurite.Tables().CreateTableIfNotExists(callsTable);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ClockSyncStorage"] = azurite.ConnectionString,
                ["ClockSync:Storage:CallCountsTable"] = callsTable,
                ["ClockSync:Feishu:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
                ["ClockSync:Feishu:AllowAnyBaseUrl"] = "true",
                ["ClockSync:Feishu:AppId"] = SandboxSettings.DefaultAppId,
                ["ClockSync:Feishu:AppSecret"] = SandboxSettings.DefaultAppSecret,
                ["ClockSync:Feishu:RequestsPerSecond"] = rate.ToString(CultureInfo.InvariantCulture),
                ["ClockSync:Feishu:MonthlyCallBudget"] = budget?.ToString(CultureInfo.InvariantCulture),
                ["ClockSync:Feishu:RateLimitBurst"] = burst.ToString(CultureInfo.InvariantCulture),
                ["ClockSync:Feishu:TransportRetryCount"] = "0",
            }).Build();
            var services = new ServiceCollection().AddClockSyncPipeline(configuration).BuildServiceProvider();
            return new Instance(services, configuration, "i" + Interlocked.Increment(ref _instances).ToString(CultureInfo.InvariantCulture));
        }

        public async Task<FeishuBatchOutcome> PostAsync(string key, CancellationToken cancellationToken)
        {
            var record = new FeishuFlowRecord("u1", "u1", "Gate 1", 1_750_000_000, "test", null, Name + "-" + key);
            var outcome = await _services.GetRequiredService<IFeishuAttendanceClient>().BatchCreateAsync([record], cancellationToken);
            if (outcome is FeishuBatchOutcome.Accepted)
            {
                Interlocked.Increment(ref _accepted);
                lock (_acceptedAt)
                {
                    _acceptedAt.Add(DateTimeOffset.UtcNow);
                }
            }

            return outcome;
        }

        /// <summary>Posts one record after the other until cancelled.</summary>
        public async Task PostUntilAsync(string caller, CancellationToken cancellationToken)
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    Assert.IsType<FeishuBatchOutcome.Accepted>(await PostAsync($"{caller}-{i}", cancellationToken));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (or killed).
            }
        }

        /// <summary>Posts until the client refuses for the quota (the budget); returns the refusal.</summary>
        public async Task<FeishuBatchOutcome.QuotaExhausted> PostUntilRefusedAsync(string caller, CancellationToken cancellationToken)
        {
            for (var i = 0; ; i++)
            {
                var outcome = await PostAsync($"{caller}-{i}", cancellationToken);
                if (outcome is FeishuBatchOutcome.QuotaExhausted refused)
                {
                    return refused;
                }

                Assert.IsType<FeishuBatchOutcome.Accepted>(outcome);
            }
        }

        public int AcceptedBetween(DateTimeOffset from, DateTimeOffset to)
        {
            lock (_acceptedAt)
            {
                return _acceptedAt.Count(at => at >= from && at < to);
            }
        }

        public void SetBudget(int budget)
        {
            _configuration["ClockSync:Feishu:MonthlyCallBudget"] = budget.ToString(CultureInfo.InvariantCulture);
            _configuration.Reload();
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
