using Azure;

namespace ClockSync.Storage.Ledger;

/// <summary>What one day partition held when read, plus this run's own claims since (the ledger's cache entry for the day).</summary>
internal sealed class LedgerDayView(long number, string day)
{
    public long Number { get; } = number;

    /// <summary>The partition key.</summary>
    public string Day { get; } = day;

    public DayOwners Owners { get; } = new();

    public ETag? HeadETag { get; set; }

    public long Version { get; set; }

    /// <summary>Some row holds version-1 fingerprints (claimed before identity v2), so look-ups try those too.</summary>
    public bool HasVersion1 { get; set; }

    /// <summary>Some claimed punch was recorded without seconds, so a time with seconds also tries its minute form.</summary>
    public bool HasMinuteOnly { get; set; }

    /// <summary>A look-up found a punch the ledger does not know since the day's last claim: the claim will need this day.</summary>
    public bool AwaitingClaim { get; set; }

    /// <summary>RowKeys of this import's uncommitted rows on the day; the next claim on the day deletes them.</summary>
    public List<string> StaleRows { get; } = [];
}
