using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ClockSync.Benchmarks.Parsing;

/// <summary>Lines read per second (millions), from the <c>Lines</c> parameter and the mean time of one run over the file.</summary>
internal sealed class LinesPerSecondColumn : IColumn
{
    public string Id => nameof(LinesPerSecondColumn);

    public string ColumnName => "Mlines/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Millions of lines (punches) read per second: Lines / Mean";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        var lines = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Lines")?.Value;
        if (report?.ResultStatistics is not { } statistics || lines is not int count)
        {
            return "-";
        }

        return (count / (statistics.Mean / 1e9) / 1e6).ToString("0.00", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
