namespace ClockSync.Cli;

/// <summary>
/// What <c>clocksync</c> returns. Distinct codes so scripts can tell a missing file from a file that is not an export.
/// Listed in <c>--help</c> through <see cref="HelpText"/>.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did its job. For <c>validate</c>: the file was read, rejected lines included.</summary>
    public const int Ok = 0;

    /// <summary>Something unexpected went wrong inside clocksync (a bug): the message says what.</summary>
    public const int Unexpected = 1;

    /// <summary>The command line was wrong: unknown option, missing argument, bad value.</summary>
    public const int Usage = 2;

    /// <summary>The input file does not exist.</summary>
    public const int FileNotFound = 3;

    /// <summary>The input file exists but cannot be read (permissions, a directory, an I/O error).</summary>
    public const int Unreadable = 4;

    /// <summary>The file is readable but is not a clock export ClockSync knows.</summary>
    public const int NotAClockExport = 5;

    /// <summary>Settings or the id-mapping file are invalid (unknown time zone, bad mapping line).</summary>
    public const int Configuration = 6;

    /// <summary>An import, report or failed batch named on the command line does not exist.</summary>
    public const int NotFound = 7;

    /// <summary><c>reconcile</c>: punches accepted by ClockSync are missing in Feishu.</summary>
    public const int Discrepancy = 8;

    /// <summary>Storage or Feishu could not be reached or refused the request; the message says which.</summary>
    public const int ServiceFailed = 9;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    public static string HelpText { get; } = string.Join(
        Environment.NewLine,
        "Exit codes:",
        $"  {Ok}    done (for validate: the file was read; rejected lines are reported, not failures)",
        $"  {Unexpected}    unexpected error",
        $"  {Usage}    wrong command line",
        $"  {FileNotFound}    file not found",
        $"  {Unreadable}    file cannot be read",
        $"  {NotAClockExport}    not a clock export",
        $"  {Configuration}    missing or invalid settings, or invalid id-mapping file",
        $"  {NotFound}    import, report or failed batch not found",
        $"  {Discrepancy}    reconcile: punches missing in Feishu",
        $"  {ServiceFailed}    storage or Feishu request failed",
        $"  {Cancelled}  interrupted");
}
