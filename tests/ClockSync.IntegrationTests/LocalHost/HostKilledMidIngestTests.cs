using System.Diagnostics;
using ClockSync.IntegrationTests.Cli;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.IntegrationTests.Pipeline;
using ClockSync.Pipeline;
using ClockSync.Storage.ImportRows;

namespace ClockSync.IntegrationTests.LocalHost;

/// <summary>
/// The promise with real processes: a <c>clocksync run</c> host killed (SIGKILL) mid-ingest, the clock's cumulative
/// next export uploaded under the same name with <c>clocksync upload</c>, a new host started: the sandbox ends with
/// every distinct punch of both files, once.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class HostKilledMidIngestTests(AzuriteFixture azurite)
{
    private const string Name = "1_attlog.dat";

    [Fact]
    public async Task A_host_killed_mid_ingest_then_the_cumulative_export_under_the_same_name_and_a_new_host_every_punch_lands_once()
    {
        const int First = 60_000;
        const int Cumulative = First + 1_000;
        await using var harness = await PipelineHarness.StartAsync(azurite);
        var folder = Directory.CreateTempSubdirectory("clocksync-kill-");
        try
        {
            var file = Path.Combine(folder.FullName, Name);
            await File.WriteAllTextAsync(file, PipelineHarness.AttLog(PipelineHarness.Punches(First)));
            Assert.Equal(0, (await OperatorCli.RunAsync(harness, "upload", file)).ExitCode);
            var blob = harness.Exports.GetBlobClient(Name);
            var firstImport = ImportIds.For(blob.BlobContainerName, Name, (await blob.GetPropertiesAsync()).Value.ETag.ToString());

            // The first host only ingests (its posting function is off), so every message it enqueued stays on the queue
            // for the second host instead of waiting out the visibility of one the killed host had taken.
            ImportEntity? killedAt;
            using (var ingesting = HostProcess.Start(harness, folder.FullName, ("AzureWebJobs_PostPunchBatch_Disabled", "true")))
            {
                await WaitUntilAsync(async () => (await harness.Imports.GetAsync(firstImport, CancellationToken.None))?.BatchesClaimed >= 60, ingesting, TimeSpan.FromMinutes(3));
                ingesting.Kill();
                killedAt = await harness.Imports.GetAsync(firstImport, CancellationToken.None);
            }

            await File.WriteAllTextAsync(file, PipelineHarness.AttLog(PipelineHarness.Punches(Cumulative)));
            Assert.Equal(0, (await OperatorCli.RunAsync(harness, "upload", file)).ExitCode);
            using (var host = HostProcess.Start(harness, folder.FullName))
            {
                await WaitUntilAsync(() => Task.FromResult(harness.Sandbox.Ledger.Snapshot().Count >= Cumulative), host, TimeSpan.FromMinutes(6));
                await WaitUntilAsync(async () => (await harness.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, host, TimeSpan.FromMinutes(2));
                host.Kill();
            }

            Assert.Equal(ImportState.Ingesting, killedAt!.State);
            Assert.True(killedAt.BatchesClaimed < Cumulative / 50, "the host was killed before it had claimed the whole file");
            Assert.Equal(ImportState.Superseded, (await harness.Imports.GetAsync(firstImport, CancellationToken.None))!.State);
            Assert.Equal(ExpectedIds.Of(Cumulative, Name), harness.LedgerIds());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, HostProcess host, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(host.HasExited, $"clocksync run exited early ({host.ExitCode}):\n{host.Output}");
            Assert.True(deadline.Elapsed < timeout, $"timed out after {timeout}; host output:\n{host.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary><c>clocksync run</c> as a process of its own, with the harness's settings as environment variables.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Queue<string> _lines = new();

        private HostProcess(Process process) => _process = process;

        public bool HasExited => _process.HasExited;

        public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

        public string Output
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public static HostProcess Start(PipelineHarness harness, string workingDirectory, params (string Key, string Value)[] extra)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(CliAssembly());
            start.ArgumentList.Add("run");
            foreach (var (key, value) in harness.Settings)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            foreach (var (key, value) in extra)
            {
                start.Environment[key] = value;
            }

            var host = new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
            host._process.OutputDataReceived += (_, line) => host.Keep(line.Data);
            host._process.ErrorDataReceived += (_, line) => host.Keep(line.Data);
            host._process.BeginOutputReadLine();
            host._process.BeginErrorReadLine();
            return host;
        }

        /// <summary>
        /// The CLI's own build output (bin/{configuration}/{framework} as this assembly's): the copy beside the tests
        /// resolves its dependencies through the test project's and does not start.
        /// </summary>
        private static string CliAssembly()
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var (framework, configuration) = (here.Name, here.Parent!.Name);
            var root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "FunctionsApp.sln")))
            {
                root = root.Parent;
            }

            return Path.Combine(root?.FullName ?? throw new InvalidOperationException("No FunctionsApp.sln above the test assembly."),
                "src", "ClockSync.Cli", "bin", configuration, framework, "ClockSync.Cli.dll");
        }

        /// <summary>SIGKILL: no shutdown, no finally blocks, as a scaled-in instance dies.</summary>
        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > 200)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
