using System.CommandLine;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using ClockSync.Storage;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync upload &lt;file|folder&gt;</c>: puts exports into the exports container, where the ingest trigger picks
/// them up. A folder uploads the files directly in it (not subfolders); the blob name is the file name, overwritten
/// when it exists — a new version is a new import, and the ledger keeps already imported punches from being re-sent.
/// </summary>
internal static class UploadCommand
{
    /// <summary>Files at least this large report progress on stderr while they upload.</summary>
    public const long ProgressThreshold = 4L * 1024 * 1024;

    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "An export file, or a folder whose files are all uploaded." };
        var json = new Option<bool>("--json") { Description = "Print the uploaded files as one JSON object on stdout." };
        var command = new Command(
            "upload",
            "Upload clock exports to the exports container (ClockSync__Storage__ExportsContainer) for import."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            path, json,
        };
        command.SetAction((parsed, cancellationToken) =>
            RunAsync(context, parsed.GetRequiredValue(path), parsed.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, bool json, CancellationToken cancellationToken)
    {
        List<FileInfo> files;
        if (File.Exists(path))
        {
            files = [new FileInfo(path)];
        }
        else if (Directory.Exists(path))
        {
            files = new DirectoryInfo(path).EnumerateFiles().OrderBy(file => file.Name, StringComparer.Ordinal).ToList();
        }
        else
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {path}: file or folder not found");
            return ExitCodes.FileNotFound;
        }

        return await OperatorCommand.RunAsync(context, needsFeishu: false, async services =>
        {
            var names = services.StorageNames;
            var container = services.Get<PipelineStorage>().Blobs.GetBlobContainerClient(names.ExportsContainer);
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var uploaded = new List<UploadedFile>();
            foreach (var file in files)
            {
                var options = new BlobUploadOptions();
                if (file.Length >= ProgressThreshold)
                {
                    options.ProgressHandler = new UploadProgress(context.Error, file.Name, file.Length);
                }

                try
                {
                    await using var content = file.OpenRead();
                    await container.GetBlobClient(file.Name).UploadAsync(content, options, cancellationToken);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    await context.Error.WriteLineAsync($"{CliApp.Name}: {file.FullName}: cannot be read: {exception.Message}");
                    return ExitCodes.Unreadable;
                }

                uploaded.Add(new UploadedFile(file.Name, file.Length));
                if (!json)
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"uploaded {file.Name} ({file.Length} bytes)"));
                }
            }

            var total = uploaded.Sum(file => file.Bytes);
            if (json)
            {
                await CliJson.WriteAsync(context.Out, new UploadResult(names.ExportsContainer, uploaded, total));
            }
            else
            {
                await context.Out.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture, $"{uploaded.Count} file(s), {total} bytes uploaded to container {names.ExportsContainer}"));
            }

            return ExitCodes.Ok;
        });
    }

    private sealed record UploadedFile(string Name, long Bytes);

    private sealed record UploadResult(string Container, IReadOnlyList<UploadedFile> Files, long TotalBytes);

    /// <summary>A line per 10% on stderr (never stdout, so <c>--json</c> stays parseable).</summary>
    private sealed class UploadProgress(TextWriter error, string name, long length) : IProgress<long>
    {
        private readonly Lock _gate = new();
        private int _lastTenth = -1;

        public void Report(long value)
        {
            var tenth = (int)(Math.Min(value, length) * 10 / Math.Max(length, 1));
            lock (_gate)
            {
                if (tenth <= _lastTenth)
                {
                    return;
                }

                _lastTenth = tenth;
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {tenth * 10,3}% ({value} of {length} bytes)"));
            }
        }
    }
}
