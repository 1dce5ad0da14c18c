namespace ClockSync.Punches;

/// <summary>
/// Counts an import while it streams, in constant memory apart from the distinct users and the capped list of
/// rejections. <see cref="PunchImporter"/> fills it; <see cref="ToSummary"/> gives the report.
/// </summary>
public sealed class ImportTally
{
    private readonly int _maxRejectionsListed;
    private readonly List<PunchRejection> _rejections = [];
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);

    public ImportTally(int maxRejectionsListed = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRejectionsListed);
        _maxRejectionsListed = maxRejectionsListed;
    }

    public long Lines { get; private set; }

    public long Skipped { get; private set; }

    public long Punches { get; private set; }

    public long Duplicates { get; private set; }

    public long Rejected { get; private set; }

    public long Batches { get; private set; }

    /// <summary>Punches counted as duplicates or already imported only because they matched at minute precision.</summary>
    public long MatchedAtMinutePrecision { get; private set; }

    /// <summary>Punches found already imported under their version-1 fingerprint.</summary>
    public long MatchedVersion1 { get; private set; }

    /// <summary>Accepted punches whose wall time a fall-back repeats, placed by the overlap rule.</summary>
    public long DstOverlap { get; private set; }

    /// <summary>Of <see cref="DstOverlap"/>, those placed at the later instant (second occurrence).</summary>
    public long DstOverlapLater { get; private set; }

    public long? FirstCheckTime { get; private set; }

    public long? LastCheckTime { get; private set; }

    public int Users => _users.Count;

    public IReadOnlyList<PunchRejection> Rejections => _rejections;

    public void CountSkipped()
    {
        Lines++;
        Skipped++;
    }

    public void CountRejected(PunchRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        Lines++;
        Rejected++;
        if (_rejections.Count < _maxRejectionsListed)
        {
            _rejections.Add(rejection);
        }
    }

    public void CountDuplicate(PunchMatch match = PunchMatch.Exact)
    {
        Lines++;
        Duplicates++;
        CountMatch(match);
    }

    /// <summary>Notes how a punch found to be known already (a duplicate, or already imported) matched.</summary>
    public void CountMatch(PunchMatch match)
    {
        switch (match)
        {
            case PunchMatch.MinutePrecision:
                MatchedAtMinutePrecision++;
                break;
            case PunchMatch.Version1:
                MatchedVersion1++;
                break;
        }
    }

    public void CountPunch(Punch punch)
    {
        ArgumentNullException.ThrowIfNull(punch);
        Lines++;
        Punches++;
        _users.Add(punch.UserKey);
        if (punch.Overlap is { } overlap)
        {
            DstOverlap++;
            DstOverlapLater += overlap == DstOverlapReading.Later ? 1 : 0;
        }

        FirstCheckTime = FirstCheckTime is { } first ? Math.Min(first, punch.CheckTime) : punch.CheckTime;
        LastCheckTime = LastCheckTime is { } last ? Math.Max(last, punch.CheckTime) : punch.CheckTime;
    }

    public void CountBatch() => Batches++;

    /// <summary>
    /// A punch counted by <see cref="CountPunch"/> turned out to repeat one seen earlier (found after a bounded dedupe
    /// window let it through). Its user and times stay counted: they are already among the file's.
    /// </summary>
    public void RecountAsDuplicate(PunchMatch match = PunchMatch.Exact)
    {
        Punches--;
        Duplicates++;
        CountMatch(match);
    }

    public ImportSummary ToSummary(string file, string format, string encoding, string? timeZone) => new()
    {
        File = file,
        Format = format,
        Encoding = encoding,
        TimeZone = timeZone,
        Lines = Lines,
        Skipped = Skipped,
        Punches = Punches,
        Duplicates = Duplicates,
        Rejected = Rejected,
        Rejections = _rejections.ToArray(),
        RejectionsOmitted = Rejected - _rejections.Count,
        Users = Users,
        Batches = Batches,
        FirstCheckTime = FirstCheckTime,
        LastCheckTime = LastCheckTime,
        MatchedAtMinutePrecision = MatchedAtMinutePrecision,
        MatchedVersion1 = MatchedVersion1,
        DstOverlap = DstOverlap,
        DstOverlapLater = DstOverlapLater,
    };
}
