namespace ClockSync.Exports.ZkTeco;

/// <summary>
/// ZKTeco USB download (<c>attlog.dat</c>): tab-separated <c>PIN, date-time, device, status, verify, work code[, …]</c>.
/// PINs are right-aligned with spaces or alphanumeric; see <see cref="UserKeys"/> for how they become keys.
/// A serial-number first line and a checksum last line are skipped; see <see cref="ZkTecoLogLines"/>.
/// </summary>
public sealed class ZkTecoAttLogReader : ITextExportReader
{
    public ExportFormat Format => ExportFormat.ZkTecoAttLog;

    public IEnumerable<RawRecord> Read(TextReader text, ExportReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        return ZkTecoLogLines.Read(text, new ZkTecoLineParser(ZkTecoLineLayout.UsbAttLog, options.DateOrder), cancellationToken);
    }
}
