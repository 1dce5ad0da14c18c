namespace ClockSync.Exports;

/// <summary>The shapes of clock export that ClockSync reads. See docs/clock-formats.md.</summary>
public enum ExportFormat
{
    /// <summary>ZKTeco USB download (<c>attlog.dat</c>): PIN, time, device, status, verify, work code.</summary>
    ZkTecoAttLog,

    /// <summary>ZKTeco PUSH/ADMS <c>ATTLOG</c> body: PIN, time, status, verify, work code. Never guessed.</summary>
    ZkTecoPush,

    /// <summary>A standalone clock's own text report (<c>GLG_001.TXT</c>): No, Mchn, EnNo, Name, Mode, IOMd, DateTime.</summary>
    ClockTextReport,

    /// <summary>Comma, tab or semicolon separated text with a header row found by column aliases.</summary>
    Delimited,

    /// <summary>Excel workbook, <c>.xlsx</c> or legacy <c>.xls</c>, with the same header logic as delimited text.</summary>
    Excel,
}
