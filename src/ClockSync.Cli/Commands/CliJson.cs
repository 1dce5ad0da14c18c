using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClockSync.Cli.Commands;

/// <summary>The JSON form of every operator command: camelCase, indented, non-ASCII kept readable.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task WriteAsync<T>(TextWriter output, T value) => output.WriteLineAsync(JsonSerializer.Serialize(value, Options));
}
