using ClockSync.Notify;
using ClockSync.Notify.Cards;
using static ClockSync.Tests.Notify.ImportCardTests;

namespace ClockSync.Tests.Notify;

/// <summary>The cards for conditions that need a person.</summary>
public sealed class ConditionCardsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Quota_exhausted_is_red_says_nothing_is_lost_and_shows_the_calls_against_the_budget()
    {
        var card = ConditionCards.QuotaExhausted("Feishu answered 99991403: monthly call quota exhausted", At, 9000, 9000);
        var text = AllText(card);

        Assert.Equal("red", Template(card));
        Assert.Contains("**Why** Feishu answered 99991403: monthly call quota exhausted", text, StringComparison.Ordinal);
        Assert.Contains("**Calls this month** 9,000 of a budget of 9,000", text, StringComparison.Ordinal);
        Assert.Contains("none is parked or lost", text, StringComparison.Ordinal);
        Assert.Contains("Stopped at 2026-12-03 09:30 UTC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Posting_resumed_is_green()
    {
        var card = ConditionCards.PostingResumed(At, "The month changed.");

        Assert.Equal("green", Template(card));
        Assert.Equal("Feishu posting resumed", Title(card));
        Assert.Contains("The month changed.", AllText(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_refused_is_red_with_the_code_and_log_id_and_never_a_secret()
    {
        var card = ConditionCards.CredentialsRefused(10014, "app secret invalid", "20261203093000SANDBOX1", At);
        var text = AllText(card);

        Assert.Equal("red", Template(card));
        Assert.Contains("**Feishu said** code 10014: app secret invalid", text, StringComparison.Ordinal);
        Assert.Contains("log id 20261203093000SANDBOX1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_parked_digest_lists_ten_batches_and_counts_the_rest()
    {
        var parked = Enumerable.Range(1, 12).Select(n => new ParkedBatch("imp", "1_attlog.dat", n, 50, "user ou_x is unknown")).ToList();

        var card = ConditionCards.ParkedDigest(parked, At.AddMinutes(-30), At);
        var text = AllText(card);

        Assert.Equal("orange", Template(card));
        Assert.Contains("**12 batches parked** (600 punches) since 2026-12-03 09:00 UTC", text, StringComparison.Ordinal);
        Assert.Contains("• 1_attlog.dat batch 10, 50 punches: user ou_x is unknown", text, StringComparison.Ordinal);
        Assert.DoesNotContain("batch 11,", text, StringComparison.Ordinal);
        Assert.Contains("… and 2 more", text, StringComparison.Ordinal);
    }
}
