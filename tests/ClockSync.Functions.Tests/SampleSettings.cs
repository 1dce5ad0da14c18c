using Microsoft.Extensions.Configuration;

namespace ClockSync.Functions.Tests;

/// <summary>local.settings.sample.json's Values as the worker sees them: app settings are environment variables, "__" is ":".</summary>
internal static class SampleSettings
{
    public static IConfiguration Configuration(params (string Key, string Value)[] overrides)
    {
        using var document = RepositoryFiles.ReadJson(Path.Combine(RepositoryFiles.Root, "local.settings.sample.json"));
        var values = document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(setting => setting.Name.Replace("__", ":", StringComparison.Ordinal), setting => setting.Value.GetString(), StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
