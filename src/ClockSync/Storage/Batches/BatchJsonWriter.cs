using System.Buffers;
using System.Text.Json;
using ClockSync.Punches;

namespace ClockSync.Storage.Batches;

/// <summary>
/// Writes a batch's JSON straight from its punches, byte for byte what serialising a <see cref="BatchMessage"/> of
/// <see cref="BatchRecord.From"/> records gives (the tests hold it to that). The ingest writes one per 50 punches on a
/// CPU it shares with the sends; a record object and an id string per punch, and escaping the same location and comment
/// again for every punch, cost more than the writing itself.
/// </summary>
internal static class BatchJsonWriter
{
    private static readonly JsonEncodedText ImportIdName = JsonEncodedText.Encode("importId");
    private static readonly JsonEncodedText BatchNoName = JsonEncodedText.Encode("batchNo");
    private static readonly JsonEncodedText RecordsName = JsonEncodedText.Encode("records");
    private static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("userId");
    private static readonly JsonEncodedText LocationNameName = JsonEncodedText.Encode("locationName");
    private static readonly JsonEncodedText CheckTimeName = JsonEncodedText.Encode("checkTime");
    private static readonly JsonEncodedText CommentName = JsonEncodedText.Encode("comment");
    private static readonly JsonEncodedText IdempotentIdName = JsonEncodedText.Encode("idempotentId");
    private static readonly JsonEncodedText LineName = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText UserKeyName = JsonEncodedText.Encode("userKey");

    /// <summary>Room for one record; only sizes the first buffer.</summary>
    private const int RecordBytesGuess = 200;

    /// <summary><c>{"importId":…,"batchNo":…,"records":[…]}</c>.</summary>
    public static byte[] Message(string importId, int batchNo, IReadOnlyList<Punch> punches)
    {
        ArgumentNullException.ThrowIfNull(importId);
        ArgumentNullException.ThrowIfNull(punches);
        var buffer = new ArrayBufferWriter<byte>(RecordBytesGuess * (punches.Count + 1));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(ImportIdName, importId);
            writer.WriteNumber(BatchNoName, batchNo);
            writer.WritePropertyName(RecordsName);
            WriteRecords(writer, punches);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The records alone, <c>[…]</c>: a claim-check blob's content.</summary>
    public static byte[] Records(IReadOnlyList<Punch> punches)
    {
        ArgumentNullException.ThrowIfNull(punches);
        var buffer = new ArrayBufferWriter<byte>(RecordBytesGuess * (punches.Count + 1));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteRecords(writer, punches);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRecords(Utf8JsonWriter writer, IReadOnlyList<Punch> punches)
    {
        // Locations and comments come from the normaliser's caches, so consecutive punches share the very same strings.
        var location = new EncodedOnce();
        var comment = new EncodedOnce();
        Span<byte> id = stackalloc byte[PunchFingerprint.HexLength];
        writer.WriteStartArray();
        foreach (var punch in punches)
        {
            writer.WriteStartObject();
            writer.WriteString(UserIdName, punch.UserId);
            writer.WriteString(LocationNameName, location.Of(punch.LocationName));
            writer.WriteNumber(CheckTimeName, punch.CheckTime);
            writer.WriteString(CommentName, comment.Of(punch.Comment));
            punch.Fingerprint.FormatUtf8(id);
            writer.WriteString(IdempotentIdName, id);
            writer.WriteNumber(LineName, punch.Line);
            if (!ReferenceEquals(punch.UserKey, punch.UserId) && !string.Equals(punch.UserKey, punch.UserId, StringComparison.Ordinal))
            {
                writer.WriteString(UserKeyName, punch.UserKey);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The escaped form of the last string seen, computed again only when a different string comes.</summary>
    private struct EncodedOnce
    {
        private string? _text;
        private JsonEncodedText _encoded;

        public JsonEncodedText Of(string text)
        {
            if (!ReferenceEquals(text, _text))
            {
                _encoded = JsonEncodedText.Encode(text);
                _text = text;
            }

            return _encoded;
        }
    }
}
