namespace ClockSync.Cli.Hosting;

/// <summary>The function names the worker exposes (its class names), repeated here so logs read the same.</summary>
internal static class LocalFunctionNames
{
    public const string IngestClockExport = "IngestClockExport";
    public const string PostPunchBatch = "PostPunchBatch";
    public const string RetryFailedBatches = "RetryFailedBatches";

    /// <summary>The job classes the local host indexes, and nothing else from the loaded assemblies.</summary>
    public static IReadOnlyList<Type> JobTypes { get; } = [typeof(IngestClockExportJob), typeof(PostPunchBatchJob), typeof(RetryFailedBatchesJob)];
}
