using ClockSync.Exports;
using CsCheck;

namespace ClockSync.Tests.Exports;

/// <summary>Arbitrary text after a valid header: the reader never throws and accounts for every line.</summary>
public sealed class DelimitedPropertyTests
{
    private const string Header = "PIN,Name,Time,Device\n";

    private static readonly Gen<string> Body =
        Gen.Char["7a ,;\t\"'\r\n:-20265\u0000中"].Array[0, 600].Select(chars => new string(chars));

    private static readonly Gen<string> BodyWithoutQuotes =
        Gen.Char["7a ,;\t'\r\n:-20265\u0000中"].Array[0, 600].Select(chars => new string(chars));

    private static int PhysicalLines(string text)
    {
        var lines = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                lines++;
            }
        }

        return lines + (text.Length > 0 && text[^1] is not '\n' and not '\r' ? 1 : 0);
    }

    [Fact]
    public void Every_record_has_its_own_increasing_line_and_none_is_beyond_the_text()
    {
        Body.Sample(body =>
        {
            var text = Header + body;
            var records = DelimitedTestSupport.Read(text, maxRecordChars: 64);

            Assert.Equal(1, records[0].Line);
            Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Line < pair.Second.Line));
            Assert.True(records[^1].Line <= PhysicalLines(text));
            Assert.All(records, r => Assert.True(
                r.Kind != RawRecordKind.Punch || !string.IsNullOrWhiteSpace(r.UserKey),
                "a punch always has a user key"));
            Assert.All(records, r => Assert.True(
                r.Kind != RawRecordKind.Rejected || (r.Field is not null && r.Reason is not null),
                "a rejection always says which field and why"));
        });
    }

    [Fact]
    public void Without_quotes_every_physical_line_is_exactly_one_record()
    {
        BodyWithoutQuotes.Sample(body =>
        {
            var text = Header + body;
            var records = DelimitedTestSupport.Read(text, maxRecordChars: 64);

            DelimitedTestSupport.AssertOneRecordPerLine(records, PhysicalLines(text));
        });
    }
}
