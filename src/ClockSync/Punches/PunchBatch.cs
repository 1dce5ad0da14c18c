namespace ClockSync.Punches;

/// <summary>At most <see cref="PunchOptions.BatchSize"/> punches, in file order: one Feishu <c>batch_create</c> call.</summary>
/// <param name="Number">1-based position of the batch in its import; with the import id it keys the batch.</param>
public sealed record PunchBatch(int Number, IReadOnlyList<Punch> Punches);
