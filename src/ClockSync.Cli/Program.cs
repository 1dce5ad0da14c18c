namespace ClockSync.Cli;

// An explicit entry class rather than top-level statements: those generate a global 'Program' type, which clashes
// with the one of any project that references this CLI (the benchmarks do, for AzuriteProcess).
internal static class Program
{
    // Ctrl+C is turned into cancellation by System.CommandLine's invocation, which CliApp runs.
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}
