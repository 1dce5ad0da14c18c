using ClockSync.Exports;

namespace ClockSync.Punches;

/// <summary>What became of one export line: a punch, a skipped line, or a rejection.</summary>
public readonly record struct NormalisedRecord
{
    public RawRecordKind Kind { get; private init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="RawRecordKind.Punch"/>.</summary>
    public Punch? Punch { get; private init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="RawRecordKind.Rejected"/>.</summary>
    public PunchRejection? Rejection { get; private init; }

    public static NormalisedRecord Accepted(Punch punch) => new() { Kind = RawRecordKind.Punch, Punch = punch };

    public static NormalisedRecord Skipped { get; } = new() { Kind = RawRecordKind.Skipped };

    public static NormalisedRecord Rejected(PunchRejection rejection) => new() { Kind = RawRecordKind.Rejected, Rejection = rejection };
}
