using System.Text;
using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

public sealed class IdMappingTests
{
    private static IdMapping Load(string text, bool bom = false, string name = "map.csv")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bom)
        {
            bytes = [.. Encoding.UTF8.Preamble, .. bytes];
        }

        return IdMapping.Load(new MemoryStream(bytes), name);
    }

    private static string Map(IdMapping mapping, string key) => mapping.TryMap(key, out var id) ? id : "<none>";

    [Fact]
    public void Lines_without_a_header_map_key_to_id()
    {
        var mapping = Load("7,ou_7\r\nA1034,ou_a1034\r\n");

        Assert.Equal(2, mapping.Count);
        Assert.Equal("ou_7", Map(mapping, "7"));
        Assert.Equal("ou_a1034", Map(mapping, "A1034"));
        Assert.Equal("<none>", Map(mapping, "8"));
    }

    [Theory]
    [InlineData("clock key,feishu id")]
    [InlineData("工号,飞书ID")]
    [InlineData("PIN,user_id,name")]
    [InlineData("\"clock_key\",\"employee_no\"")]
    public void A_header_line_is_recognised_and_skipped(string header)
    {
        var mapping = Load(header + "\n7,ou_7\n", bom: true);

        Assert.Equal(1, mapping.Count);
        Assert.Equal("ou_7", Map(mapping, "7"));
    }

    [Fact]
    public void Keys_are_normalised_by_the_readers_rule()
    {
        var mapping = Load("   7 , ou_7 \n'0018,ou_18\n000A12,ou_a12\n");

        Assert.Equal("ou_7", Map(mapping, "7"));
        Assert.Equal("ou_18", Map(mapping, UserKeys.Normalise("000000018")));
        Assert.Equal("ou_a12", Map(mapping, "000A12"));
    }

    [Fact]
    public void Extra_columns_comments_blank_lines_quotes_and_other_delimiters_are_fine()
    {
        var mapping = Load("# exported from HR\n\n7,ou_7,Li Lei,Sales\n\"8\",\"ou_8\"\n9\tou_9\n10;ou_10\n7,ou_7\n");

        Assert.Equal(4, mapping.Count);
        Assert.Equal("ou_8", Map(mapping, "8"));
        Assert.Equal("ou_9", Map(mapping, "9"));
        Assert.Equal("ou_10", Map(mapping, "10"));
    }

    [Fact]
    public void A_line_without_an_id_names_file_and_line()
    {
        var error = Assert.Throws<IdMappingException>(() => Load("7,ou_7\n8\n", name: "ids.csv"));

        Assert.Equal("ids.csv line 2: expected \"clock key,feishu id\", found \"8\".", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void An_empty_key_or_id_names_the_line()
    {
        Assert.Contains("line 1: clock key: user key is empty", Assert.Throws<IdMappingException>(() => Load(" ,ou_7\n")).Message, StringComparison.Ordinal);
        Assert.Contains("line 1: feishu id is empty for clock key \"7\"", Assert.Throws<IdMappingException>(() => Load("7, \n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_mapped_to_two_ids_is_an_error()
    {
        var error = Assert.Throws<IdMappingException>(() => Load("7,ou_a\n7,ou_b\n"));

        Assert.Equal("map.csv line 2: clock key \"7\" is mapped twice, to \"ou_a\" and to \"ou_b\".", error.Message);
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_refused_rather_than_guessed()
    {
        var gbk = new byte[] { (byte)'7', (byte)',', 0xC0, 0xEE, 0xC0, 0xD7, (byte)'\n' };

        var error = Assert.Throws<IdMappingException>(() => IdMapping.Load(new MemoryStream(gbk), "gbk.csv"));

        Assert.StartsWith("gbk.csv line 1: is not UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_quote_is_an_error()
    {
        Assert.Contains("unclosed quote", Assert.Throws<IdMappingException>(() => Load("\"7,ou_7\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.csv");

        var error = Assert.Throws<IdMappingException>(() => IdMapping.LoadFile(path));

        Assert.StartsWith(path + ": cannot open the id mapping", error.Message, StringComparison.Ordinal);
    }
}
