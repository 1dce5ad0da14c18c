using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using ClockSync.Punches;

namespace ClockSync.Tests.Pipeline;

public sealed class BatchGroupTests
{
    private const int BatchSize = 50;

    [Fact]
    public void Groups_start_small_and_double_up_to_the_most_batches_numbering_on_from_the_last()
    {
        var sizes = new List<(int FirstBatch, int Batches)>();
        var group = new BatchGroup(firstBatch: 1, BatchSize);
        var next = 0;
        for (var i = 0; i < 6; i++)
        {
            while (!group.IsFull)
            {
                Assert.True(group.Add(Punch(next++)));
            }

            sizes.Add((group.FirstBatch, group.LastBatch - group.FirstBatch + 1));
            group = group.Next();
        }

        Assert.Equal([(1, 4), (5, 8), (13, 16), (29, 32), (61, 60), (121, 60)], sizes);
        Assert.Equal(BatchGroup.FirstBatches, sizes[0].Batches);
        Assert.Equal(BatchGroup.MaxBatches, sizes[^1].Batches);
    }

    [Fact]
    public void A_resumed_ingest_starts_small_again_from_the_batch_after_the_committed_ones()
    {
        var group = new BatchGroup(firstBatch: 88, BatchSize);
        for (var i = 0; i < BatchGroup.FirstBatches * BatchSize; i++)
        {
            group.Add(Punch(i));
        }

        Assert.True(group.IsFull);
        Assert.Equal((88, 91), (group.FirstBatch, group.LastBatch));
    }

    [Fact]
    public void A_punch_twice_in_one_group_is_refused_but_the_next_group_takes_it()
    {
        var group = new BatchGroup(firstBatch: 1, BatchSize);
        Assert.True(group.Add(Punch(1)));
        Assert.False(group.Add(Punch(1)));

        // The next group reuses the membership set: it must start empty, and the first group keeps its batches.
        var next = group.Next();

        Assert.True(next.Add(Punch(1)));
        Assert.Equal([Punch(1)], group.Batches.Single().Punches);
        Assert.Equal(2, next.Batches.Single().BatchNo);
        Assert.Equal([Punch(1)], next.Batches.Single().Punches);
    }

    [Fact]
    public void Claims_list_every_punch_with_its_batch_in_order()
    {
        var group = new BatchGroup(firstBatch: 7, BatchSize);
        for (var i = 0; i < BatchSize + 2; i++)
        {
            group.Add(Punch(i));
        }

        var claims = group.Claims();

        Assert.Equal(BatchSize + 2, claims.Count);
        Assert.All(claims.Take(BatchSize), claim => Assert.Equal(7, claim.BatchNo));
        Assert.All(claims.Skip(BatchSize), claim => Assert.Equal(8, claim.BatchNo));
        Assert.Equal(Enumerable.Range(0, BatchSize + 2).Select(i => Punch(i)), claims.Select(claim => claim.Punch));
    }

    private static Punch Punch(int n) =>
        new(n + 1, "7", "7", 1_735_689_600 + n, Device: null, Direction: null, "考勤机", "考勤机 上班", new PunchFingerprint((UInt128)(n + 1)));
}
