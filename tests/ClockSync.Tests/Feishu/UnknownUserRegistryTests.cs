using ClockSync.Feishu.Flows;
using Microsoft.Extensions.Time.Testing;

namespace ClockSync.Tests.Feishu;

/// <summary>The process-wide view of known and refused users, and the claim that keeps concurrent deliveries from isolating the same new user twice.</summary>
public sealed class UnknownUserRegistryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_delivery_sharing_an_unseen_user_waits_for_the_claim_and_then_sees_its_convictions()
    {
        var registry = new UnknownUserRegistry(new FakeTimeProvider(Start));
        var first = await registry.ClaimAsync(["u1", "u2", "u9"], CancellationToken.None);

        var second = registry.ClaimAsync(["u2", "u3"], CancellationToken.None);
        var unrelated = await registry.ClaimAsync(["u4"], CancellationToken.None);
        Assert.False(second.IsCompleted);

        registry.MarkAccepted(["u1", "u2"]);
        registry.Convict(["u9"]);
        first.Dispose();
        using var after = await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("u9", registry.Refused);
        Assert.True(registry.IsAccepted("u2"));
        unrelated.Dispose();
    }

    [Fact]
    public async Task Users_seen_before_are_never_claimed_so_a_warm_process_does_not_wait()
    {
        var registry = new UnknownUserRegistry(new FakeTimeProvider(Start));
        registry.MarkAccepted(["u1"]);
        registry.Convict(["u2"]);
        using var first = await registry.ClaimAsync(["u1", "u2"], CancellationToken.None);

        var second = registry.ClaimAsync(["u1", "u2"], CancellationToken.None);

        Assert.True(second.IsCompletedSuccessfully);
        (await second).Dispose();
    }

    [Fact]
    public async Task The_wait_is_bounded_and_cancellable()
    {
        var time = new FakeTimeProvider(Start);
        var registry = new UnknownUserRegistry(time);
        using var stuck = await registry.ClaimAsync(["u1"], CancellationToken.None);

        var bounded = registry.ClaimAsync(["u1"], CancellationToken.None);
        time.Advance(UnknownUserRegistry.MaxClaimWait);
        using var proceeded = await bounded.WaitAsync(TimeSpan.FromSeconds(10));

        using var cancel = new CancellationTokenSource();
        var cancelled = registry.ClaimAsync(["u1"], cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }

    [Fact]
    public void A_table_read_replaces_the_view_but_keeps_fresh_local_convictions_until_their_rows_are_written()
    {
        var time = new FakeTimeProvider(Start);
        var registry = new UnknownUserRegistry(time);
        registry.Convict(["local"]);

        Assert.Equal(["local", "table"], registry.Refresh(["table"]).Order(StringComparer.Ordinal));

        time.Advance(UnknownUserRegistry.KeepLocalConviction);
        Assert.Equal(["table"], registry.Refresh(["table"]));

        registry.Forget("table");
        Assert.Empty(registry.Refused);
    }
}
