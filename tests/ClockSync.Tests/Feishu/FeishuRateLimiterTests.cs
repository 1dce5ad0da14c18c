using ClockSync.Feishu.Http;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.Feishu;

public sealed class FeishuRateLimiterTests
{
    [Fact]
    public async Task Callers_are_released_one_interval_apart()
    {
        var time = new FakeTimeProvider();
        var limiter = new FeishuRateLimiter(50, burst: 1, time);

        var first = limiter.WaitAsync(CancellationToken.None).AsTask();
        var second = limiter.WaitAsync(CancellationToken.None).AsTask();
        var third = limiter.WaitAsync(CancellationToken.None).AsTask();

        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(20));
        await third;
    }

    [Fact]
    public async Task A_burst_passes_at_once_and_then_pacing_starts()
    {
        var time = new FakeTimeProvider();
        var limiter = new FeishuRateLimiter(10, burst: 3, time);

        var waits = Enumerable.Range(0, 4).Select(_ => limiter.WaitAsync(CancellationToken.None).AsTask()).ToList();

        Assert.All(waits.Take(3), wait => Assert.True(wait.IsCompletedSuccessfully));
        Assert.False(waits[3].IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await waits[3];
    }

    [Fact]
    public async Task A_pause_holds_every_caller_until_it_ends_and_paces_them_from_there()
    {
        var time = new FakeTimeProvider();
        var limiter = new FeishuRateLimiter(50, burst: 5, time);

        limiter.Pause(TimeSpan.FromSeconds(2));
        var first = limiter.WaitAsync(CancellationToken.None).AsTask();
        var second = limiter.WaitAsync(CancellationToken.None).AsTask();

        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await first;
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(20));
        await second;
    }

    [Fact]
    public async Task A_cancelled_wait_throws()
    {
        var time = new FakeTimeProvider();
        var limiter = new FeishuRateLimiter(1, burst: 1, time);
        await limiter.WaitAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var waiting = limiter.WaitAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
