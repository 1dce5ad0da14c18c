using ClockSync.Storage.CallCounts;

namespace ClockSync.Tests.Storage;

public sealed class SingleFlightLoopTests
{
    [Fact]
    public async Task A_call_while_a_pass_runs_returns_at_once_and_the_running_caller_makes_one_more_pass()
    {
        var firstPassMayEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var passes = 0;
        var loop = new SingleFlightLoop(async _ =>
        {
            if (Interlocked.Increment(ref passes) == 1)
            {
                await firstPassMayEnd.Task;
            }
        });

        var running = loop.RunAsync(CancellationToken.None);
        var second = loop.RunAsync(CancellationToken.None);
        var third = loop.RunAsync(CancellationToken.None);

        Assert.True(second.IsCompletedSuccessfully, "a call while a pass runs must not wait for it");
        Assert.True(third.IsCompletedSuccessfully);
        Assert.False(running.IsCompleted);
        firstPassMayEnd.SetResult();
        await running;
        Assert.Equal(2, passes);
    }

    [Fact]
    public async Task Calls_one_after_another_each_run_a_pass()
    {
        var passes = 0;
        var loop = new SingleFlightLoop(_ =>
        {
            passes++;
            return Task.CompletedTask;
        });

        await loop.RunAsync(CancellationToken.None);
        await loop.RunAsync(CancellationToken.None);

        Assert.Equal(2, passes);
    }

    [Fact]
    public async Task A_failed_pass_throws_to_its_caller_and_the_next_call_runs_again()
    {
        var passes = 0;
        var loop = new SingleFlightLoop(_ => Interlocked.Increment(ref passes) == 1
            ? Task.FromException(new InvalidOperationException("storage is down"))
            : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() => loop.RunAsync(CancellationToken.None));
        await loop.RunAsync(CancellationToken.None);

        Assert.Equal(2, passes);
    }

    [Fact]
    public async Task When_every_caller_has_returned_nothing_counted_before_a_call_is_left_unflushed()
    {
        long pending = 0;
        long flushed = 0;
        var running = 0;
        var overlapped = false;
        var loop = new SingleFlightLoop(async _ =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await Task.Yield();
            Interlocked.Add(ref flushed, Interlocked.Exchange(ref pending, 0));
            Interlocked.Decrement(ref running);
        });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                Interlocked.Increment(ref pending);
                await loop.RunAsync(CancellationToken.None);
            }
        })));

        Assert.Equal((8 * 500L, 0L), (Interlocked.Read(ref flushed), Interlocked.Read(ref pending)));
        Assert.False(overlapped, "two passes ran at once");
    }
}
