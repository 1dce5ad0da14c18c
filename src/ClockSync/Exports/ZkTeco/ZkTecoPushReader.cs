namespace ClockSync.Exports.ZkTeco;

/// <summary>
/// ZKTeco PUSH/ADMS <c>ATTLOG</c> body as saved by PUSH servers and middlewares: tab-separated
/// <c>PIN, date-time, status, verify, work code, reserved…</c>. The third field is the status (the record's
/// <see cref="RawRecord.Direction"/>) and there is no device field. Its lines look exactly like <c>attlog.dat</c> lines,
/// so this reader is only used when the format is forced, never detected.
/// </summary>
public sealed class ZkTecoPushReader : ITextExportReader
{
    public ExportFormat Format => ExportFormat.ZkTecoPush;

    public IEnumerable<RawRecord> Read(TextReader text, ExportReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        return ZkTecoLogLines.Read(text, new ZkTecoLineParser(ZkTecoLineLayout.PushAttLog, options.DateOrder), cancellationToken);
    }
}
