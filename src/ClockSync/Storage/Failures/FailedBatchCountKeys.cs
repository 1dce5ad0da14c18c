using System.Globalization;

namespace ClockSync.Storage.Failures;

/// <summary>
/// The event keys under which changes to a failed batch are counted in its import's counters
/// (<see cref="ImportRows.ImportStore.RecordAdjustmentAsync"/>). Each names one event, so recording it twice (a retry
/// run re-posting an attempt after a crash) replaces the first record instead of adding to it; and no two events share
/// a key, so none is lost. An operator park happens at most once per re-queue round (only a re-queue un-parks), and each
/// re-queue of a parked row starts a new round.
/// </summary>
public static class FailedBatchCountKeys
{
    /// <summary>Retry attempt <paramref name="attempt"/> of the row in its current round.</summary>
    public static string Attempt(FailedBatchEntity row, int attempt) => Key("retry", row, string.Create(CultureInfo.InvariantCulture, $"-a{attempt}"));

    /// <summary>An operator parking the (pending) row.</summary>
    public static string OperatorPark(FailedBatchEntity row) => Key("park", row, string.Empty);

    /// <summary>An operator re-queuing the parked row; call before <see cref="FailedBatchEntity.Requeues"/> is raised.</summary>
    public static string OperatorRequeue(FailedBatchEntity row) => Key("requeue", row, string.Empty);

    private static string Key(string kind, FailedBatchEntity row, string suffix)
    {
        ArgumentNullException.ThrowIfNull(row);
        return string.Create(CultureInfo.InvariantCulture, $"{kind}-{row.RowKey}-q{row.Requeues}{suffix}");
    }
}
