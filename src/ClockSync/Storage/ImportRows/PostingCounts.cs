namespace ClockSync.Storage.ImportRows;

/// <summary>
/// What posting did to an import: <c>batch_create</c> calls and what became of the punches and batches. Each batch
/// marker and each count adjustment in the import's partition carries one such change (<see cref="PostingCountsEntity"/>);
/// the import's totals are their sum.
/// </summary>
/// <param name="PunchesHeld">Punches set aside because Feishu does not know their user (held, not parked: they are posted
/// once the id mapping changes or an operator retries the user); a release counts them back out.</param>
public sealed record PostingCounts(
    long FeishuPosts = 0,
    long Throttled = 0,
    long PunchesPosted = 0,
    long PunchesParked = 0,
    int BatchesPosted = 0,
    int BatchesFailed = 0,
    int BatchesParked = 0,
    long PunchesHeld = 0)
{
    public static PostingCounts None { get; } = new();

    public PostingCounts Plus(PostingCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PostingCounts(
            FeishuPosts + other.FeishuPosts,
            Throttled + other.Throttled,
            PunchesPosted + other.PunchesPosted,
            PunchesParked + other.PunchesParked,
            BatchesPosted + other.BatchesPosted,
            BatchesFailed + other.BatchesFailed,
            BatchesParked + other.BatchesParked,
            PunchesHeld + other.PunchesHeld);
    }
}
