using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace ClockSync.Punches;

/// <summary>
/// Checks <see cref="PunchOptions"/>: the data annotations, plus what they cannot say — zones that exist,
/// dates Feishu accepts. Used by the host's options pipeline and by <see cref="PunchImporter"/> itself, so a bad value
/// stops the run before any punch is read.
/// </summary>
public sealed class PunchOptionsValidator : IValidateOptions<PunchOptions>
{
    public ValidateOptionsResult Validate(string? name, PunchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        var annotations = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), annotations, validateAllProperties: true))
        {
            failures.AddRange(annotations.Select(r => $"{PunchOptions.SectionName}: {r.ErrorMessage}"));
        }

        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !PunchTimeZones.TryFind(options.TimeZone, out _))
        {
            failures.Add($"{PunchOptions.SectionName}:TimeZone \"{options.TimeZone}\" is not a known IANA time zone id (e.g. Asia/Shanghai).");
        }

        foreach (var (device, zone) in options.DeviceTimeZones)
        {
            if (!PunchTimeZones.TryFind(zone, out _))
            {
                failures.Add($"{PunchOptions.SectionName}:DeviceTimeZones:{device} \"{zone}\" is not a known IANA time zone id.");
            }
        }

        if (options.EarliestDate < PunchOptions.FeishuEarliestDate)
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{PunchOptions.SectionName}:EarliestDate {options.EarliestDate:yyyy-MM-dd} is before {PunchOptions.FeishuEarliestDate:yyyy-MM-dd}, which Feishu refuses."));
        }

        if (options.FutureTolerance < TimeSpan.Zero)
        {
            failures.Add($"{PunchOptions.SectionName}:FutureTolerance must not be negative.");
        }

        if (!Enum.IsDefined(options.UnmappedUsers))
        {
            failures.Add($"{PunchOptions.SectionName}:UnmappedUsers must be Reject or PassThrough.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem when the options are invalid.</summary>
    public static void ThrowIfInvalid(PunchOptions options)
    {
        var result = new PunchOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PunchOptions), result.Failures);
        }
    }
}
