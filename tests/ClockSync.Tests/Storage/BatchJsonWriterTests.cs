using System.Text.Json;
using ClockSync.Punches;
using ClockSync.Storage.Batches;

namespace ClockSync.Tests.Storage;

public sealed class BatchJsonWriterTests
{
    private const string Location = "考勤机";

    /// <summary>
    /// Shared strings (as the normaliser hands them out), then strings that change from punch to punch and need escaping:
    /// quotes, backslashes, control characters, HTML-sensitive characters, a character outside the BMP.
    /// </summary>
    private static readonly List<Punch> Punches =
    [
        Punch(1, "1001", Location, "考勤机 上班", UInt128.Zero),
        Punch(2, "1001", Location, "考勤机 上班", UInt128.MaxValue),
        Punch(3, "ou_\"quoted\"", "Gate \\ B", "tab\there\nnew line", new UInt128(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210)),
        Punch(long.MaxValue, "<script>&amp;", "前台 'lobby'", "emoji 😀 \u0001", new UInt128(1, 2)),
        Punch(5, "1002", Location, "考勤机 下班", new UInt128(ulong.MaxValue, 0)),
        // Mapped: the clock key travels along (a refused user's punches are held under it and mapped again).
        Punch(6, "ou_mapped", Location, "考勤机 下班", new UInt128(3, 4), userKey: "1003"),
    ];

    [Fact]
    public void A_message_is_byte_for_byte_what_serialising_its_records_gives()
    {
        var expected = new BatchMessage("imp-7f3a", 42, Punches.Select(BatchRecord.From).ToList()).ToUtf8Json();

        Assert.Equal(expected, BatchJsonWriter.Message("imp-7f3a", 42, Punches));
    }

    [Fact]
    public void The_records_alone_are_byte_for_byte_the_serialised_list_a_claim_check_blob_holds()
    {
        IReadOnlyList<BatchRecord> records = Punches.Select(BatchRecord.From).ToList();
        var expected = JsonSerializer.SerializeToUtf8Bytes(records, BatchMessage.Json);

        Assert.Equal(expected, BatchJsonWriter.Records(Punches));
    }

    [Fact]
    public void A_written_message_parses_back_to_every_punchs_record()
    {
        var json = BatchJsonWriter.Message("imp-1", 3, Punches);

        var message = BatchMessage.Parse(System.Text.Encoding.UTF8.GetString(json));

        Assert.Equal(("imp-1", 3, (string?)null), (message.ImportId, message.BatchNo, message.ClaimCheck));
        Assert.Equal(Punches.Select(BatchRecord.From), message.Records!);
    }

    [Fact]
    public void An_empty_batch_writes_an_empty_record_list()
    {
        Assert.Equal("""{"importId":"imp-1","batchNo":1,"records":[]}""", System.Text.Encoding.UTF8.GetString(BatchJsonWriter.Message("imp-1", 1, [])));
    }

    [Fact]
    public void A_fingerprint_formats_as_utf8_the_digits_of_its_string_and_refuses_a_short_buffer()
    {
        var fingerprint = new PunchFingerprint(new UInt128(0x0123_4567_89ab_cdef, 0x0000_0000_0000_00ff));
        var utf8 = new byte[PunchFingerprint.HexLength + 1];

        fingerprint.FormatUtf8(utf8);

        Assert.Equal(fingerprint.ToString(), System.Text.Encoding.ASCII.GetString(utf8, 0, PunchFingerprint.HexLength));
        Assert.Equal(0, utf8[^1]);
        Assert.Throws<ArgumentException>(() => fingerprint.FormatUtf8(new byte[PunchFingerprint.HexLength - 1]));
    }

    private static Punch Punch(long line, string userId, string location, string comment, UInt128 fingerprint, string? userKey = null) =>
        new(line, userKey ?? userId, userId, 1_735_689_600 + line % 1000, Device: null, Direction: null, location, comment, new PunchFingerprint(fingerprint));
}
