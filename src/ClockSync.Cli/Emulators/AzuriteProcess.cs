using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClockSync.Cli.Emulators;

/// <summary>
/// A real Azurite (blob, queue, table) started from the repository's <c>node_modules</c>, in memory, on free local
/// ports, for tests, benchmarks and <c>clocksync demo</c>. Installs the pinned package with <c>npm ci</c> when it is
/// missing, so a fresh clone needs no manual step.
/// </summary>
/// <remarks>
/// Each service runs in its own Node process (Azurite's <c>blob</c>, <c>queue</c> and <c>table</c> entry points), as
/// Azure serves them from separate front ends. In one process a table transaction waits on the same event loop as
/// every queue send, which no real account does, and an ingest (ledger claims beside its sends) measured slower than
/// it is. The access log is off (<c>--silent</c>): one line per request, written synchronously and read by us, cost
/// both processes CPU and grew without bound over a long test run.
/// </remarks>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    // Azurite's fixed development account. It is public, documented and only ever valid against the emulator.
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly string[] Services = ["blob", "queue", "table"];

    // A free port is picked before the service binds it; another process can take it in between, so try again then.
    private const int PortAttempts = 3;

    private readonly IReadOnlyList<Process> _processes;
    private readonly string _workDir;

    private AzuriteProcess(IReadOnlyList<Process> processes, string workDir, int blobPort, int queuePort, int tablePort)
    {
        _processes = processes;
        _workDir = workDir;
        BlobEndpoint = new Uri($"http://127.0.0.1:{blobPort}/{DevAccount}");
        QueueEndpoint = new Uri($"http://127.0.0.1:{queuePort}/{DevAccount}");
        TableEndpoint = new Uri($"http://127.0.0.1:{tablePort}/{DevAccount}");
    }

    public Uri BlobEndpoint { get; }

    /// <summary>Each service's name and the id of the Node process serving it (benchmarks read their CPU time).</summary>
    public IReadOnlyList<(string Service, int ProcessId)> Processes => [.. Services.Zip(_processes.Select(process => process.Id))];

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>A storage connection string for the three services of this instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>Starts the three Azurite services and returns once all of them listen.</summary>
    /// <param name="toolsRoot">The folder with <c>package.json</c>; found from the current directory when null.</param>
    /// <param name="progress">Receives one line per step (install, start), for people watching a slow first run.</param>
    public static async Task<AzuriteProcess> StartAsync(string? toolsRoot, Action<string>? progress, CancellationToken cancellationToken)
    {
        toolsRoot ??= RepositoryLayout.FindToolsRoot(AppContext.BaseDirectory) ?? RepositoryLayout.FindToolsRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("Cannot find the repository's package.json (with azurite) above " + AppContext.BaseDirectory + ". Run from a ClockSync checkout.");

        var dist = Path.Combine(toolsRoot, "node_modules", "azurite", "dist", "src");
        await EnsureInstalledAsync(toolsRoot, [.. Services.Select(service => EntryPoint(dist, service))], progress, cancellationToken);

        // The queue service's launcher script goes here; Azurite may also write a debug log here.
        var workDir = Directory.CreateTempSubdirectory("clocksync-azurite-").FullName;
        progress?.Invoke("Starting Azurite…");
        var started = Services.Select(service => StartServiceAsync(dist, service, workDir, cancellationToken)).ToArray();
        try
        {
            var services = await Task.WhenAll(started);
            return new AzuriteProcess([.. services.Select(service => service.Process)], workDir, services[0].Port, services[1].Port, services[2].Port);
        }
        catch
        {
            // Stop the ones that did start: a failed start must not leave Node processes behind.
            foreach (var task in started.Where(task => task.IsCompletedSuccessfully))
            {
                await StopAsync(task.Result.Process);
            }

            DeleteQuietly(workDir);
            throw;
        }
    }

    private static string EntryPoint(string dist, string service) => Path.Combine(dist, service, "main.js");

    /// <summary>
    /// The script node runs for <paramref name="service"/>: Azurite's own entry point, except for the queue service,
    /// which starts through a two-line script that first stretches the interval of its extent garbage collector to a
    /// day. In memory every message is an extent of its own, and that collector, run every minute, removes the
    /// unreferenced ones one at a time, each removal a scan of all extents, without yielding: once a few thousand
    /// messages had been deleted (a drained queue, a deleted one), the queue service stopped answering for minutes. An
    /// emulator that lives for one test run or benchmark can keep those extents instead.
    /// </summary>
    private static string Launcher(string dist, string service, string workDir)
    {
        if (service != "queue")
        {
            return EntryPoint(dist, service);
        }

        var launcher = Path.Combine(workDir, "queue-without-periodic-gc.js");
        File.WriteAllText(launcher, string.Join('\n',
            $"require({JsonSerializer.Serialize(Path.Combine(dist, "queue", "utils", "constants.js"))}).DEFAULT_GC_INTERVAL_MS = 24 * 60 * 60 * 1000;",
            $"require({JsonSerializer.Serialize(EntryPoint(dist, service))});",
            string.Empty));
        return launcher;
    }

    private static async Task<(Process Process, int Port)> StartServiceAsync(string dist, string service, string workDir, CancellationToken cancellationToken)
    {
        var script = Launcher(dist, service, workDir);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = workDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
                     {
                         script, $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(CultureInfo.InvariantCulture),
                         "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                     })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
            process.OutputDataReceived += (_, e) =>
            {
                // Only the start-up lines are kept, for the error below; once it listens, output is dropped.
                if (e.Data is null || listening.Task.IsCompleted)
                {
                    return;
                }

                output.Enqueue(e.Data);
                if (StartedLine().IsMatch(e.Data))
                {
                    listening.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null && !listening.Task.IsCompleted)
                {
                    output.Enqueue(e.Data);
                }
            };
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
                $"Azurite's {service} service exited while starting on port {port}:" + Environment.NewLine + string.Join(Environment.NewLine, output)));
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            try
            {
                await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                return (process, port);
            }
            catch (InvalidOperationException) when (attempt < PortAttempts && output.Any(line => line.Contains("EADDRINUSE", StringComparison.Ordinal)))
            {
                await StopAsync(process);
            }
            catch
            {
                await StopAsync(process);
                throw;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    // npm ci deletes node_modules before installing. On a fresh clone several starters (the test fixture, the demo test,
    // a second test assembly) find Azurite missing at once; without a lock one install wipes the tree another Azurite is
    // running from. The gate covers this process, the exclusive lock file other processes; the check runs under both.
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static async Task EnsureInstalledAsync(string toolsRoot, string[] entries, Action<string>? progress, CancellationToken cancellationToken)
    {
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            using var installLock = await AcquireInstallLockAsync(Path.Combine(toolsRoot, ".azurite-install.lock"), cancellationToken);
            if (entries.All(File.Exists))
            {
                return;
            }

            progress?.Invoke("Installing Azurite with npm ci (first run only)…");
            await RunToCompletionAsync("npm", ["ci", "--no-audit", "--no-fund"], toolsRoot, cancellationToken);
            if (entries.FirstOrDefault(entry => !File.Exists(entry)) is { } missing)
            {
                throw new InvalidOperationException($"npm ci finished but {missing} is missing.");
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
        foreach (var process in _processes)
        {
            await StopAsync(process);
        }

        DeleteQuietly(_workDir);
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing a test run over it is not.
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

    // "successfully listens on" (blob, queue) or "successfully started on" (table): each service says it its own way.
    [GeneratedRegex(@"^Azurite (Blob|Queue|Table) service successfully (listens|started) on ", RegexOptions.CultureInvariant)]
    private static partial Regex StartedLine();
}
