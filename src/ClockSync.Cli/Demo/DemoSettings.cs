namespace ClockSync.Cli.Demo;

/// <summary>What one demo run uses.</summary>
/// <param name="SamplesDirectory">Exports (*.dat, *.csv, *.xlsx, *.txt) and the <c>id-mapping.csv</c> to load.</param>
/// <param name="Timeout">How long to wait for every batch to be posted or parked.</param>
/// <param name="Throttles">How many batch_create calls the sandbox answers with 429 first.</param>
internal sealed record DemoSettings(string SamplesDirectory, TimeSpan Timeout, int Throttles);
