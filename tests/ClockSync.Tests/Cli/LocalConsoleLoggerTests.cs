using ClockSync.Cli.Hosting;
using Microsoft.Extensions.Logging;

namespace ClockSync.Tests.Cli;

/// <summary>The local host's console: the SDK's create-if-missing answers are Debug, everything else keeps its level.</summary>
public sealed class LocalConsoleLoggerTests
{
    private const string QueueMissing =
        "Error response [129104ba] 404 The specified queue does not exist. (00.2s) Server:Azurite-Queue/3.37.0 x-ms-error-code:QueueNotFound";

    private const string ContainerExists = "Error response [f72aa4f1] 409 The specified container already exists. (00.3s) x-ms-error-code:ContainerAlreadyExists";

    private const string LostRace = "Error response [0b1c] 412 Precondition Failed (00.0s) x-ms-error-code:UpdateConditionNotSatisfied";

    [Fact]
    public void Create_if_missing_answers_are_written_at_debug_and_so_left_off_a_warning_console()
    {
        using var warnings = new StringWriter();
        using var debug = new StringWriter();
        Log(warnings, LogLevel.Warning, "Azure.Core", QueueMissing);
        Log(warnings, LogLevel.Warning, "Azure.Core", ContainerExists);
        Log(warnings, LogLevel.Warning, "Azure.Core", LostRace);
        Log(debug, LogLevel.Debug, "Azure.Core", QueueMissing);

        Assert.Equal("", warnings.ToString());
        Assert.StartsWith("dbug: Azure.Core[8] Error response [129104ba] 404", debug.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Azure.Core", "Error response [1] 403 This request is not authorized to perform this operation.")]
    [InlineData("Azure.Core", "Error response [2] 500 Internal Server Error")]
    [InlineData("ClockSync.Pipeline.RetryFailedBatchesHandler", "Import x batch 1: 404 attempts")]
    public void Other_warnings_keep_their_level(string category, string message)
    {
        using var console = new StringWriter();

        Log(console, LogLevel.Warning, category, message);

        Assert.Equal($"warn: {category}[8] {message}{Environment.NewLine}", console.ToString());
    }

    [Fact]
    public void A_function_cancelled_by_the_host_stopping_is_not_a_failure_on_the_console()
    {
        using var console = new StringWriter();
        using var provider = new LocalConsoleLoggerProvider(console, LogLevel.Warning);
        var cancelled = new InvalidOperationException("Executed 'Functions.RetryFailedBatches' (Failed)", new TaskCanceledException("A task was canceled."));
        var failed = new InvalidOperationException("Executed 'Functions.PostPunchBatch' (Failed)", new FormatException("not a batch"));

        provider.CreateLogger("Function.RetryFailedBatches").Log(LogLevel.Error, new EventId(3), "Executed (Failed)", cancelled, static (state, _) => state);
        provider.CreateLogger("Function.PostPunchBatch").Log(LogLevel.Error, new EventId(3), "Executed (Failed)", failed, static (state, _) => state);

        Assert.DoesNotContain("RetryFailedBatches", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("fail: Function.PostPunchBatch[3] Executed (Failed)", console.ToString(), StringComparison.Ordinal);
    }

    private static void Log(StringWriter writer, LogLevel minimum, string category, string message)
    {
        using var provider = new LocalConsoleLoggerProvider(writer, minimum);
        provider.CreateLogger(category).Log(LogLevel.Warning, new EventId(8), message, null, static (state, _) => state);
    }
}
