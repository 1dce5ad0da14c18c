using System.Collections;
using ClockSync.Cli.Configuration;
using ClockSync.Cli.Hosting;

namespace ClockSync.Tests.Cli;

/// <summary>
/// The one precedence every CLI command reads settings by: overrides, then non-empty environment variables, then one
/// local.settings.json (current folder, else repository root), then the options' defaults.
/// </summary>
public sealed class LocalSettingsTests : IDisposable
{
    private const string Key = "ClockSync:Storage:BatchQueue";
    private const string EnvironmentName = "ClockSync__Storage__BatchQueue";

    // A fake checkout: a package.json naming azurite marks the repository root, as RepositoryLayout looks for it.
    private readonly string _root = Directory.CreateTempSubdirectory("clocksync-settings-").FullName;
    private readonly string _current;

    public LocalSettingsTests()
    {
        File.WriteAllText(Path.Combine(_root, "package.json"), """{ "devDependencies": { "azurite": "3.0.0" } }""");
        _current = Directory.CreateDirectory(Path.Combine(_root, "work", "here")).FullName;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Hashtable Environment(params (string Name, string Value)[] variables)
    {
        var table = new Hashtable();
        foreach (var (name, value) in variables)
        {
            table[name] = value;
        }

        return table;
    }

    private static void WriteSettings(string folder, string queue) =>
        File.WriteAllText(
            Path.Combine(folder, LocalSettings.FileName),
            $$"""{ "IsEncrypted": false, "Values": { "{{EnvironmentName}}": "{{queue}}", "ClockSyncStorage": "UseDevelopmentStorage=true" } }""");

    [Fact]
    public void The_file_values_are_read_with_double_underscores_as_sections()
    {
        WriteSettings(_current, "from-file");

        var configuration = LocalSettings.Load(_current, environment: Environment());

        Assert.Equal("from-file", configuration[Key]);
        Assert.Equal("UseDevelopmentStorage=true", configuration["ClockSyncStorage"]);
    }

    [Fact]
    public void An_environment_variable_wins_over_the_file()
    {
        WriteSettings(_current, "from-file");

        var configuration = LocalSettings.Load(_current, environment: Environment((EnvironmentName, "from-environment")));

        Assert.Equal("from-environment", configuration[Key]);
    }

    [Fact]
    public void An_empty_environment_variable_does_not_hide_the_file_value()
    {
        // As func start: a variable set to nothing is not "already defined", so the file's value is used.
        WriteSettings(_current, "from-file");

        var configuration = LocalSettings.Load(_current, environment: Environment((EnvironmentName, "")));

        Assert.Equal("from-file", configuration[Key]);
    }

    [Fact]
    public void An_override_wins_over_the_environment_and_the_file()
    {
        WriteSettings(_current, "from-file");
        var overrides = new Dictionary<string, string?> { [Key] = "from-command-line" };

        var configuration = LocalSettings.Load(_current, overrides, Environment((EnvironmentName, "from-environment")));

        Assert.Equal("from-command-line", configuration[Key]);
    }

    [Fact]
    public void The_current_folder_file_is_read_alone_when_there_is_one()
    {
        WriteSettings(_root, "from-root");
        File.WriteAllText(Path.Combine(_current, LocalSettings.FileName), """{ "Values": { "ClockSync__Retry__MaxAttempts": "3" } }""");

        var configuration = LocalSettings.Load(_current, environment: Environment());

        Assert.Equal("3", configuration["ClockSync:Retry:MaxAttempts"]);
        Assert.Null(configuration[Key]);
    }

    [Fact]
    public void Without_a_file_in_the_current_folder_the_repository_root_file_is_read()
    {
        WriteSettings(_root, "from-root");

        var configuration = LocalSettings.Load(_current, environment: Environment());

        Assert.Equal("from-root", configuration[Key]);
    }

    [Fact]
    public void Without_any_source_a_setting_is_absent_so_the_options_default_applies()
    {
        var configuration = LocalSettings.Load(_current, environment: Environment());

        Assert.Null(configuration[Key]);
    }

    [Fact]
    public void Numbers_and_booleans_are_read_as_written_and_null_as_unset()
    {
        File.WriteAllText(
            Path.Combine(_current, LocalSettings.FileName),
            """{ "Values": { "ClockSync__Retry__MaxAttempts": 8, "ClockSync__Feishu__AllowAnyBaseUrl": true, "ClockSync__Notify__ChatId": null } }""");

        var configuration = LocalSettings.Load(_current, environment: Environment());

        Assert.Equal("8", configuration["ClockSync:Retry:MaxAttempts"]);
        Assert.Equal("true", configuration["ClockSync:Feishu:AllowAnyBaseUrl"]);
        Assert.Null(configuration["ClockSync:Notify:ChatId"]);
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_naming_the_file_and_line()
    {
        var path = Path.Combine(_current, LocalSettings.FileName);
        File.WriteAllText(path, "{\n  \"Values\": { \"A\": \n");

        var error = Assert.Throws<InvalidDataException>(() => LocalSettings.Load(_current, environment: Environment()));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_value_is_refused_naming_the_file_and_the_setting()
    {
        var path = Path.Combine(_current, LocalSettings.FileName);
        File.WriteAllText(path, """{ "Values": { "ClockSync__Storage": { "BatchQueue": "q" } } }""");

        var error = Assert.Throws<InvalidDataException>(() => LocalSettings.Load(_current, environment: Environment()));

        Assert.Equal($"{path}: Values.ClockSync__Storage must be a string.", error.Message);
    }

    [Fact]
    public void The_local_host_reads_the_same_precedence()
    {
        WriteSettings(_current, "from-file");
        var options = new LocalHostOptions
        {
            CurrentDirectory = _current,
            Overrides = new Dictionary<string, string?> { ["ClockSync:Retry:MaxAttempts"] = "2" },
        };

        var configuration = LocalHostBuilder.BuildConfiguration(options);

        // The file's queue (no such environment variable in a test run), the override on top, and the trigger's flat
        // copy following the pipeline setting.
        Assert.Equal("from-file", configuration[Key]);
        Assert.Equal("2", configuration["ClockSync:Retry:MaxAttempts"]);
        Assert.Equal("from-file", configuration["ClockSyncBatchQueue"]);
    }
}
