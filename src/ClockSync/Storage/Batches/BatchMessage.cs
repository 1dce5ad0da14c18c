using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClockSync.Storage.Batches;

/// <summary>
/// The queue message of one batch: <c>{importId, batchNo, records}</c>, or <c>{importId, batchNo, claimCheck}</c> naming
/// the blob that holds the records when they would not fit a queue message.
/// </summary>
public sealed record BatchMessage(string ImportId, int BatchNo, IReadOnlyList<BatchRecord>? Records, string? ClaimCheck = null)
{
    /// <summary>Web defaults (camelCase), nulls left out; the shapes come from <see cref="BatchJsonContext"/>.</summary>
    internal static JsonSerializerOptions Json => BatchJsonContext.Default.Options;

    /// <remarks>Source-generated: an ingest serialises a message per 50 punches while it enqueues, on a CPU it shares.</remarks>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, BatchJsonContext.Default.BatchMessage);

    /// <exception cref="FormatException">Not a batch message (it then ends in the poison queue, named in the log).</exception>
    public static BatchMessage Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        BatchMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<BatchMessage>(text, Json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The queue message is not a punch batch: {exception.Message}", exception);
        }

        if (message is null || string.IsNullOrWhiteSpace(message.ImportId) || message.BatchNo < 1
            || (message.Records is null && string.IsNullOrWhiteSpace(message.ClaimCheck)))
        {
            throw new FormatException("The queue message is not a punch batch: importId, batchNo and records (or claimCheck) are required.");
        }

        return message;
    }

    public static IReadOnlyList<BatchRecord> ParseRecords(BinaryData json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<List<BatchRecord>>(json, Json)
            ?? throw new FormatException("A claim-check payload is empty.");
    }
}

/// <summary>The serialisers of the queue message, its claim-check payload and failed-batch records.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchMessage))]
[JsonSerializable(typeof(List<BatchRecord>))]
[JsonSerializable(typeof(IReadOnlyList<BatchRecord>))]
internal sealed partial class BatchJsonContext : JsonSerializerContext;
