using ClockSync.Feishu.Configuration;
using ClockSync.Notify;
using ClockSync.Pipeline;
using ClockSync.Punches;
using ClockSync.Secrets;
using ClockSync.Storage;
using Microsoft.Extensions.Configuration;

namespace ClockSync.Functions.Tests;

/// <summary>
/// Every ClockSync__* setting that the sample (and so Bicep, whose tests hold it to the same list) sets must land on
/// a property the app reads. A misspelt or renamed setting would otherwise be ignored without a word and the default
/// used in production.
/// </summary>
public sealed class SettingsBindingTests
{
    public static TheoryData<string, Type> Sections => new()
    {
        { StorageOptions.SectionName, typeof(StorageOptions) },
        { RetryOptions.SectionName, typeof(RetryOptions) },
        { KeyVaultOptions.SectionName, typeof(KeyVaultOptions) },
        { FeishuOptions.SectionName, typeof(FeishuOptions) },
        { PunchOptions.SectionName, typeof(PunchOptions) },
        { NotifyOptions.SectionName, typeof(NotifyOptions) },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_sample_setting_of_a_section_binds_to_its_options(string section, Type optionsType)
    {
        var configuration = SampleSettings.Configuration();
        var keys = configuration.GetSection(section).GetChildren().Select(child => child.Key).ToList();
        Assert.NotEmpty(keys);

        var sectionWithoutDirectReads = new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.GetSection(section).AsEnumerable(makePathsRelative: true)
                .Where(pair => pair.Value is not null && !ReadDirectly.Contains($"{section}:{pair.Key}"))
                .Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value)))
            .Build();

        // Throws InvalidOperationException naming the key when a setting has no property to land on.
        var bound = sectionWithoutDirectReads.Get(optionsType, binder => binder.ErrorOnUnknownConfiguration = true);

        Assert.NotNull(bound);
    }

    [Fact]
    public void Settings_read_without_an_options_class_are_the_ones_the_code_names()
    {
        var configuration = SampleSettings.Configuration();

        Assert.All(ReadDirectly, key => Assert.True(configuration.GetSection(key).Exists(), $"{key} is not in local.settings.sample.json"));
    }

    /// <summary>Settings the code reads by key rather than through an options class.</summary>
    private static readonly string[] ReadDirectly = [IdMappingSource.SettingKey];
}
