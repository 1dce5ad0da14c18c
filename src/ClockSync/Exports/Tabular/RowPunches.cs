using System.Diagnostics.CodeAnalysis;

namespace ClockSync.Exports.Tabular;

/// <summary>
/// The rows of a delimited or Excel export that hold more than one punch: a time cell with several times of one day,
/// and a time card's row (a column per punch). Each punch is a record of its own with the row's line number, so that
/// each is counted, deduplicated and rejected on its own; a row that yields no record at all is one skipped record.
/// </summary>
internal static class RowPunches
{
    /// <summary>Parses a time card slot's cell with the row's date; on failure the reason names the slot.</summary>
    public delegate bool SlotParser(int column, string slotLabel, out ExportTime time, [NotNullWhen(false)] out string? reason);

    /// <summary>The row's date, for the times of a several-times cell; on failure the rejection reason.</summary>
    public delegate bool DateParser(out DateOnly date, [NotNullWhen(false)] out string? reason);

    /// <summary>
    /// One record per time of a several-times cell (see <see cref="TabularTime.TrySplitSeveral"/>), added to
    /// <paramref name="into"/>; false when the cell does not hold several times.
    /// </summary>
    /// <param name="punch">The row's punch, user key and optional fields set; its time is replaced per time.</param>
    public static bool TryAddSeveral(RawRecord punch, string timeText, string what, DateParser date, List<RawRecord> into)
    {
        var times = new List<CellTime>();
        if (!TabularTime.TrySplitSeveral(timeText, what, times))
        {
            return false;
        }

        var hasDate = date(out var day, out var dateReason);
        foreach (var time in times)
        {
            into.Add(time.Problem is not null ? RawRecord.Rejected(punch.Line, "time", time.Problem)
                : !hasDate ? RawRecord.Rejected(punch.Line, "time", dateReason!)
                : punch with { Time = new ExportTime(day.ToDateTime(time.TimeOfDay, DateTimeKind.Unspecified), null) });
        }

        return true;
    }

    /// <summary>
    /// The records of a time card row: one per filled slot, in header order, whose direction is the slot's header
    /// (上班1, 签退…) unless the export has a status column; a slot that says nobody punched is passed over; a row
    /// with no filled slot is one skipped record.
    /// </summary>
    /// <param name="text">A cell of the row as text.</param>
    public static void AddTimeCard(
        RawRecord punch, IReadOnlyList<TimeCardSlot> slots, Func<int, string> text, SlotParser parse, DateParser date, List<RawRecord> into)
    {
        var start = into.Count;
        foreach (var slot in slots)
        {
            var cell = text(slot.Column);
            if (TabularTime.IsNoPunch(cell))
            {
                continue;
            }

            var slotPunch = punch.Direction is null ? punch with { Direction = slot.Label } : punch;
            if (parse(slot.Column, slot.Label, out var time, out var reason))
            {
                into.Add(slotPunch with { Time = time });
            }
            else if (!TryAddSeveral(slotPunch, cell, slot.Label, date, into))
            {
                into.Add(RawRecord.Rejected(punch.Line, "time", reason));
            }
        }

        if (into.Count == start)
        {
            into.Add(RawRecord.Skipped(punch.Line));
        }
    }
}
