using Microsoft.Extensions.Hosting;

namespace ClockSync.Cli.Hosting;

/// <summary>
/// The command's cancellation token (Ctrl+C, SIGTERM through System.CommandLine) decides when the host stops, so
/// <c>demo</c> can stop the host and then its child processes in order; the console lifetime would race it.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
