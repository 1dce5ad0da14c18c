using System.Text.Json.Nodes;
using ClockSync.Notify;
using ClockSync.Notify.Cards;
using ClockSync.Pipeline;
using ClockSync.Punches;
using ClockSync.Storage.ImportRows;

namespace ClockSync.Tests.Notify;

/// <summary>The import card, case by case: what it says and which colour it takes.</summary>
public sealed class ImportCardTests
{
    private static readonly ImportCardInput AllPosted = new()
    {
        ImportId = "0123456789abcdef0123456789abcdef",
        File = "1_attlog.dat",
        Status = ImportReport.Imported,
        Format = "attlog",
        Encoding = "UTF-8",
        Lines = 1234,
        Accepted = 1200,
        Duplicates = 34,
        AlreadyImported = 200,
        NewPunches = 1000,
        Posted = 1000,
        CallsThisMonth = 4321,
    };

    [Fact]
    public void All_posted_is_green_with_every_figure()
    {
        var card = ImportCard.Build(AllPosted);
        var text = AllText(card);

        Assert.Equal("green", Template(card));
        Assert.Equal("Imported: 1_attlog.dat", Title(card));
        Assert.Contains("**File** 1_attlog.dat · **Format** attlog · **Encoding** UTF-8 · **Lines** 1,234", text, StringComparison.Ordinal);
        Assert.Contains("**Accepted** 1,200 · **Rejected** 0 · **Duplicates** 34 · **Already imported** 200", text, StringComparison.Ordinal);
        Assert.Contains("**Posted to Feishu** 1,000 of 1,000 · **Parked** 0", text, StringComparison.Ordinal);
        Assert.Contains("Feishu calls this month: 4,321", text, StringComparison.Ordinal);
        Assert.Contains("Import 0123456789abcdef0123456789abcdef", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Held", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Rejected lines", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejected_lines_make_it_orange_with_the_top_reasons_their_lines_and_how_many_more()
    {
        var input = AllPosted with
        {
            Rejected = 40,
            Rejections =
            [
                new PunchRejection(4, "time", "'2021-13-01 08:00' is not a date"),
                new PunchRejection(9, "user", "the user key is empty"),
                new PunchRejection(12, "time", "'x' is not a time"),
                new PunchRejection(17, "time", "'2019-01-01 08:00' is before 2022-01-01"),
            ],
        };

        var card = ImportCard.Build(input);
        var text = AllText(card);

        Assert.Equal("orange", Template(card));
        Assert.Equal("Imported with problems: 1_attlog.dat", Title(card));
        Assert.Contains("**Rejected lines** (40)", text, StringComparison.Ordinal);
        Assert.Contains("• time: '2021-13-01 08:00' is not a date — lines 4, 12, 17", text, StringComparison.Ordinal);
        Assert.Contains("• user: the user key is empty — line 9", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("• time", StringComparison.Ordinal) < text.IndexOf("• user", StringComparison.Ordinal), "the most frequent reason comes first");
        Assert.Contains("… and 36 more (the import report lists them)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Users_held_because_feishu_does_not_know_them_make_it_orange_and_are_listed_by_clock_key()
    {
        var input = AllPosted with { Posted = 990, HeldPunches = 10, HeldUsers = ["3101", "3102"] };

        var card = ImportCard.Build(input);
        var text = AllText(card);

        Assert.Equal("orange", Template(card));
        Assert.Contains("**Posted to Feishu** 990 of 1,000 · **Held** 10 · **Parked** 0", text, StringComparison.Ordinal);
        Assert.Contains("**Held for users Feishu does not know** (clock keys): 3101, 3102", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parked_batches_make_it_orange_with_their_reasons()
    {
        var reasons = Enumerable.Range(1, 7).Select(n => $"user ou_{n} is unknown to Feishu").ToList();
        var input = AllPosted with { Posted = 950, Parked = 50, ParkReasons = reasons };

        var card = ImportCard.Build(input);
        var text = AllText(card);

        Assert.Equal("orange", Template(card));
        Assert.Contains("**Posted to Feishu** 950 of 1,000 · **Parked** 50", text, StringComparison.Ordinal);
        Assert.Contains("• user ou_1 is unknown to Feishu", text, StringComparison.Ordinal);
        Assert.Contains("• user ou_5 is unknown to Feishu", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ou_6", text, StringComparison.Ordinal);
        Assert.Contains("… and 2 more reasons", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_export_is_red_with_the_reason()
    {
        var input = new ImportCardInput
        {
            ImportId = "feedfacefeedfacefeedfacefeedface",
            File = "holiday-photo.jpg",
            Status = ImportReport.NotAnExport,
            Reason = "holiday-photo.jpg is not a clock export ClockSync can read: binary content",
        };

        var card = ImportCard.Build(input);
        var text = AllText(card);

        Assert.Equal("red", Template(card));
        Assert.Equal("Not a clock export: holiday-photo.jpg", Title(card));
        Assert.Contains("**Not read:** holiday-photo.jpg is not a clock export ClockSync can read: binary content", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_became_unreadable_is_red_even_when_its_valid_punches_were_posted()
    {
        var input = AllPosted with { Status = ImportReport.Unreadable, Reason = "reading stopped after line 812: bad zip" };

        var card = ImportCard.Build(input);

        Assert.Equal("red", Template(card));
        Assert.Equal("Import failed: 1_attlog.dat", Title(card));
        Assert.Contains("**Reading stopped:** reading stopped after line 812: bad zip", AllText(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Calls_are_shown_against_the_budget_when_one_is_set_and_left_out_when_unknown()
    {
        var withBudget = AllText(ImportCard.Build(AllPosted with { CallsThisMonth = 2500, CallBudget = 10000 }));
        var unknown = AllText(ImportCard.Build(AllPosted with { CallsThisMonth = null }));

        Assert.Contains("Feishu calls this month: 2,500 of a budget of 10,000 (25 %)", withBudget, StringComparison.Ordinal);
        Assert.DoesNotContain("Feishu calls", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_in_file_names_and_reasons_cannot_format_the_card()
    {
        var card = ImportCard.Build(AllPosted with { File = "**big**~~old~~.csv" });

        Assert.Equal("Imported: ＊＊big＊＊~old~.csv", Title(card));
    }

    [Fact]
    public void The_input_takes_its_figures_from_the_report_and_the_posting_totals()
    {
        var row = new ImportEntity
        {
            PartitionKey = "abc",
            Blob = "clock-exports/site-a/1_attlog.dat",
            State = ImportState.Enqueued,
            Lines = 10,
            Accepted = 8,
            Rejected = 1,
            Duplicates = 1,
            AlreadyImported = 2,
            NewPunches = 6,
        };
        var summary = new ImportSummary
        {
            File = "1_attlog.dat",
            Format = "attlog",
            Encoding = "UTF-8",
            Rejected = 1,
            Rejections = [new PunchRejection(3, "time", "bad")],
        };
        var report = new ImportReport("abc", row.Blob, "etag", ImportReport.Imported, null, 2, 6, 1, summary);

        var input = ImportCardInput.From(report, new ImportTotals(row, new PostingCounts(PunchesPosted: 5, PunchesParked: 1), 1), ["refused"]);

        Assert.Equal(("site-a/1_attlog.dat", "attlog", "UTF-8", 10L, 8L, 1L, 1L, 2L, 6L, 5L, 1L),
            (input.File, input.Format, input.Encoding, input.Lines, input.Accepted, input.Rejected, input.Duplicates, input.AlreadyImported, input.NewPunches, input.Posted, input.Parked));
        Assert.Equal(["refused"], input.ParkReasons);
        Assert.Single(input.Rejections);
        Assert.Empty(input.HeldUsers);
        Assert.Null(input.CallBudget);
    }

    [Fact]
    public void The_card_renders_as_text_for_a_terminal()
    {
        var text = CardText.Render(ImportCard.Build(AllPosted with { Rejected = 1, Rejections = [new PunchRejection(4, "time", "bad time")] }));

        Assert.StartsWith("[ORANGE] Imported with problems: 1_attlog.dat\n", text, StringComparison.Ordinal);
        Assert.Contains("  File 1_attlog.dat · Format attlog · Encoding UTF-8 · Lines 1,234\n", text, StringComparison.Ordinal);
        Assert.Contains("  • time: bad time — line 4\n", text, StringComparison.Ordinal);
        Assert.Contains("  Feishu calls this month: 4,321 · Import 0123456789abcdef0123456789abcdef\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("**", text, StringComparison.Ordinal);
    }

    internal static string Template(JsonObject card) => card["header"]!["template"]!.GetValue<string>();

    internal static string Title(JsonObject card) => card["header"]!["title"]!["content"]!.GetValue<string>();

    /// <summary>Every text of the card's elements, one per line.</summary>
    internal static string AllText(JsonObject card) => string.Join("\n", card["elements"]!.AsArray().SelectMany(element => element!["tag"]!.GetValue<string>() switch
    {
        "div" => [element["text"]!["content"]!.GetValue<string>()],
        "note" => element["elements"]!.AsArray().Select(part => part!["content"]!.GetValue<string>()),
        _ => Array.Empty<string>(),
    }));
}
