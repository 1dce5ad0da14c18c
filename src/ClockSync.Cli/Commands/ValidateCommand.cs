using System.CommandLine;
using ClockSync.Exports;
using ClockSync.Punches;
using Microsoft.Extensions.Options;

namespace ClockSync.Cli.Commands;

/// <summary>
/// <c>clocksync validate &lt;file&gt;</c>: reads an export exactly as the pipeline would and reports what would be sent,
/// skipped, dropped as duplicate and rejected — without sending anything.
/// </summary>
internal static class ValidateCommand
{
    private static readonly string[] DateOrderNames = ["ymd", "dmy", "mdy"];
    private static readonly string[] UnmappedNames = ["reject", "pass-through"];

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The clock export to read (attlog.dat, CSV, Excel, clock text report)." };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "Read as this format instead of detecting it. 'push' (ZKTeco PUSH ATTLOG) is never detected.",
            HelpName = string.Join('|', ExportFormatNames.All),
        };
        format.AcceptOnlyFromAmong([.. ExportFormatNames.All]);
        var timeZone = new Option<string?>("--time-zone", "-z")
        {
            Description = "IANA time zone of the clock's wall-clock times (default Asia/Shanghai). An offset in the file wins.",
            HelpName = "zone",
        };
        var dateOrder = new Option<string?>("--date-order")
        {
            Description = "How to read dates like 02/06/2025 (year-first dates are always read as such).",
            HelpName = string.Join('|', DateOrderNames),
        };
        dateOrder.AcceptOnlyFromAmong(DateOrderNames);
        var mapping = new Option<string?>("--mapping", "-m")
        {
            Description = "CSV file of 'clock key,feishu id' lines; unmapped users are then rejected (see --unmapped).",
            HelpName = "file",
        };
        var unmapped = new Option<string?>("--unmapped")
        {
            Description = "With --mapping: reject unmapped users (default) or pass their clock key through as the Feishu id.",
            HelpName = string.Join('|', UnmappedNames),
        };
        unmapped.AcceptOnlyFromAmong(UnmappedNames);
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout and nothing else." };

        var command = new Command(
            "validate",
            "Read a clock export as the pipeline would and report lines, punches, duplicates and rejections. Sends nothing."
            + Environment.NewLine + Environment.NewLine + ExitCodes.HelpText)
        {
            file, format, timeZone, dateOrder, mapping, unmapped, json,
        };

        command.SetAction((parsed, cancellationToken) => RunAsync(
            context,
            new ValidateRequest(
                parsed.GetRequiredValue(file),
                parsed.GetValue(format),
                parsed.GetValue(timeZone),
                parsed.GetValue(dateOrder),
                parsed.GetValue(mapping),
                parsed.GetValue(unmapped),
                parsed.GetValue(json)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ValidateRequest request, CancellationToken cancellationToken)
    {
        var options = context.PunchOptions();
        if (request.TimeZone is not null)
        {
            if (!PunchTimeZones.TryFind(request.TimeZone, out _))
            {
                await context.Error.WriteLineAsync(
                    $"{CliApp.Name}: --time-zone '{request.TimeZone}' is not a known IANA time zone id (e.g. Asia/Shanghai, Europe/Berlin).");
                return ExitCodes.Usage;
            }

            options.TimeZone = request.TimeZone;
        }

        if (request.Unmapped is not null)
        {
            options.UnmappedUsers = request.Unmapped == "pass-through" ? UnmappedUserPolicy.PassThrough : UnmappedUserPolicy.Reject;
        }

        PunchImporter importer;
        IdMapping? idMapping = null;
        try
        {
            if (request.Mapping is not null)
            {
                idMapping = IdMapping.LoadFile(request.Mapping);
            }

            importer = new PunchImporter(options, context.Time, idMapping);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await context.Error.WriteLineAsync($"{CliApp.Name}: {failure}");
            }

            return ExitCodes.Configuration;
        }
        catch (IdMappingException e)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {e.Message}");
            return ExitCodes.Configuration;
        }

        var readOptions = new ExportReadOptions
        {
            Format = request.Format is null ? null : ExportFormatNames.TryParse(request.Format, out var forced) ? forced : null,
            DateOrder = request.DateOrder switch
            {
                "dmy" => DateOrder.DayMonthYear,
                "mdy" => DateOrder.MonthDayYear,
                _ => DateOrder.YearMonthDay,
            },
        };

        if (!File.Exists(request.File))
        {
            var problem = Directory.Exists(request.File) ? "is a directory, not a file" : "file not found";
            await context.Error.WriteLineAsync($"{CliApp.Name}: {request.File}: {problem}");
            return Directory.Exists(request.File) ? ExitCodes.Unreadable : ExitCodes.FileNotFound;
        }

        ImportSummary summary;
        try
        {
            await using var stream = new FileStream(
                request.File, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            using var export = ExportFileReader.Open(stream, request.File, readOptions, cancellationToken);
            summary = importer.Summarise(export, cancellationToken);
        }
        catch (NotAClockExportException e)
        {
            await context.Error.WriteLineAsync($"{CliApp.Name}: {e.Message}");
            return ExitCodes.NotAClockExport;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // InvalidDataException: a damaged archive (xlsx) that got past detection.
            await context.Error.WriteLineAsync($"{CliApp.Name}: {request.File}: cannot be read: {e.Message}");
            return ExitCodes.Unreadable;
        }

        if (request.Json)
        {
            await context.Out.WriteLineAsync(summary.ToJson());
        }
        else
        {
            await SummaryText.WriteAsync(context.Out, summary, importer.Options);
        }

        return ExitCodes.Ok;
    }

    private sealed record ValidateRequest(
        string File, string? Format, string? TimeZone, string? DateOrder, string? Mapping, string? Unmapped, bool Json);
}
