namespace ClockSync.Cli.Hosting;

/// <summary>
/// The queue and blob settings of the repository's <c>host.json</c>, which the WebJobs SDK does not read. A test
/// compares these with <c>host.json</c> so the local host behaves as the Functions host does.
/// </summary>
internal static class HostQueueSettings
{
    public const int BatchSize = 8;
    public const int NewBatchThreshold = 4;
    public const int MaxDequeueCount = 5;
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxPollingInterval = TimeSpan.FromSeconds(2);
    public const string MessageEncoding = "base64";
    public const int BlobMaxDegreeOfParallelism = 2;
}
