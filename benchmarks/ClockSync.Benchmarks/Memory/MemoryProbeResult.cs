using System.Globalization;

namespace ClockSync.Benchmarks.Memory;

/// <summary>What one probe measured; passed from the child process as one line of <c>key=value</c> pairs.</summary>
internal sealed record MemoryProbeResult(
    string Mode,
    long Lines,
    long Punches,
    long Duplicates,
    double Seconds,
    double CpuSeconds,
    long PeakWorkingSet,
    long VmHwm,
    long AllocatedBytes,
    long HeapBytesAtEnd)
{
    public const string Header =
        "| File MiB | Content          | Path    | Lines       | Unique punches | Duplicates  | Seconds | CPU s  | Mlines/CPU-s | Peak WS MiB | VmHWM MiB | GC heap at end MiB | Allocated B/line |\n"
        + "|---------:|------------------|---------|------------:|---------------:|------------:|--------:|-------:|-------------:|------------:|----------:|-------------------:|-----------------:|";

    public string Content { get; init; } = string.Empty;

    public long FileBytes { get; init; }

    /// <summary>The process's peak resident set: <c>VmHWM</c> where the kernel gives it, else the runtime's peak working set.</summary>
    public long Peak => VmHwm > 0 ? VmHwm : PeakWorkingSet;

    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"mode={Mode} lines={Lines} punches={Punches} duplicates={Duplicates} seconds={Seconds:F3} cpu={CpuSeconds:F3} peakws={PeakWorkingSet} vmhwm={VmHwm} allocated={AllocatedBytes} heap={HeapBytesAtEnd}");

    public static MemoryProbeResult Parse(string line)
    {
        var values = line.Split(' ').Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        long Long(string key) => long.Parse(values[key], CultureInfo.InvariantCulture);
        return new MemoryProbeResult(
            values["mode"],
            Long("lines"),
            Long("punches"),
            Long("duplicates"),
            double.Parse(values["seconds"], CultureInfo.InvariantCulture),
            double.Parse(values["cpu"], CultureInfo.InvariantCulture),
            Long("peakws"),
            Long("vmhwm"),
            Long("allocated"),
            Long("heap"));
    }

    public string ToRow()
    {
        const double MiB = 1024 * 1024;
        var counted = Mode != MemoryProbe.Records;
        var punches = counted ? Punches.ToString("N0", CultureInfo.InvariantCulture) : "-";
        var duplicates = counted ? Duplicates.ToString("N0", CultureInfo.InvariantCulture) : "-";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {FileBytes / MiB,8:F0} | {Content,-16} | {Mode,-7} | {Lines,11:N0} | {punches,14} | {duplicates,11} | {Seconds,7:F1} | {CpuSeconds,6:F1} | {Lines / CpuSeconds / 1e6,12:F2} | {PeakWorkingSet / MiB,11:F0} | {VmHwm / MiB,9:F0} | {HeapBytesAtEnd / MiB,18:F0} | {(double)AllocatedBytes / Math.Max(1, Lines),16:F1} |");
    }
}
