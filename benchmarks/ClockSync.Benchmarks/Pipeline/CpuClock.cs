using System.Globalization;

namespace ClockSync.Benchmarks.Pipeline;

/// <summary>
/// CPU seconds (user + system) used so far by a set of processes, read from <c>/proc</c>: where a phase's time went
/// on a 2-core machine shared by the bench and Azurite. Empty off Linux.
/// </summary>
public sealed class CpuClock(IReadOnlyList<(string Name, int Pid)> processes)
{
    private const double TicksPerSecond = 100; // USER_HZ; 100 on every Linux we run on.

    public IReadOnlyList<double> Read() => [.. processes.Select(process => Seconds(process.Pid))];

    public string Describe(IReadOnlyList<double> before, IReadOnlyList<double> after, double wallSeconds) =>
        string.Join(", ", processes.Select((process, i) => string.Create(CultureInfo.InvariantCulture,
            $"{process.Name} {after[i] - before[i]:F2} s ({(after[i] - before[i]) / wallSeconds:P0})")));

    private static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
