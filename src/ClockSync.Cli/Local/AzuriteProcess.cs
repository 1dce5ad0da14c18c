using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ClockSync.Cli.Local;

/// <summary>
/// A real Azurite (blob, queue, table) started from the repository's <c>node_modules</c>, in memory, on ports the
/// operating system picks, for tests and <c>clocksync demo</c>. Installs the pinned package with <c>npm ci</c> when it
/// is missing, so a fresh clone needs no manual step.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    // Azurite's fixed development account. It is public, documented and only ever valid against the emulator.
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly string _workDir;

    private AzuriteProcess(Process process, string workDir, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _workDir = workDir;
        BlobEndpoint = new Uri($"http://127.0.0.1:{blobPort}/{DevAccount}");
        QueueEndpoint = new Uri($"http://127.0.0.1:{queuePort}/{DevAccount}");
        TableEndpoint = new Uri($"http://127.0.0.1:{tablePort}/{DevAccount}");
    }

    public Uri BlobEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>A storage connection string for the three services of this instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>Starts Azurite and returns once all three services listen.</summary>
    /// <param name="toolsRoot">The folder with <c>package.json</c>; found from the current directory when null.</param>
    /// <param name="progress">Receives one line per step (install, start), for people watching a slow first run.</param>
    public static async Task<AzuriteProcess> StartAsync(string? toolsRoot, Action<string>? progress, CancellationToken cancellationToken)
    {
        toolsRoot ??= RepositoryLayout.FindToolsRoot(AppContext.BaseDirectory) ?? RepositoryLayout.FindToolsRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("Cannot find the repository's package.json (with azurite) above " + AppContext.BaseDirectory + ". Run from a ClockSync checkout.");

        var entry = Path.Combine(toolsRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        await EnsureInstalledAsync(toolsRoot, entry, progress, cancellationToken);

        // Azurite writes a debug log and, without in-memory persistence, databases into its working folder.
        var workDir = Directory.CreateTempSubdirectory("clocksync-azurite-").FullName;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     entry, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
                     "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        progress?.Invoke("Starting Azurite…");
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var allListening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                lock (ports)
                {
                    ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        allListening.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => allListening.TrySetException(
            new InvalidOperationException("Azurite exited while starting:" + Environment.NewLine + string.Join(Environment.NewLine, output)));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await allListening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            Stop(process);
            throw;
        }

        return new AzuriteProcess(process, workDir, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    // npm ci deletes node_modules before installing. On a fresh clone several starters (the test fixture, the demo test,
    // a second test assembly) find Azurite missing at once; without a lock one install wipes the tree another Azurite is
    // running from. The gate covers this process, the exclusive lock file other processes; the check runs under both.
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static async Task EnsureInstalledAsync(string toolsRoot, string entry, Action<string>? progress, CancellationToken cancellationToken)
    {
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            using var installLock = await AcquireInstallLockAsync(Path.Combine(toolsRoot, ".azurite-install.lock"), cancellationToken);
            if (File.Exists(entry))
            {
                return;
            }

            progress?.Invoke("Installing Azurite with npm ci (first run only)…");
            await RunToCompletionAsync("npm", ["ci", "--no-audit", "--no-fund"], toolsRoot, cancellationToken);
            if (!File.Exists(entry))
            {
                throw new InvalidOperationException($"npm ci finished but {entry} is missing.");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<FileStream> AcquireInstallLockAsync(string path, CancellationToken cancellationToken)
    {
        // Another process holds the lock while it runs npm ci (about a minute); poll until it is done.
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(TimeSpan.FromMinutes(10));
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!giveUp.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), giveUp.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing a test run over it is not.
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task RunToCompletionAsync(string fileName, string[] args, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} failed with exit code {process.ExitCode}:{Environment.NewLine}{await stderr}{await stdout}");
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
