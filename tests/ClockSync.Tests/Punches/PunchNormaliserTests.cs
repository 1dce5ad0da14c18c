using ClockSync.Exports;
using ClockSync.Punches;

namespace ClockSync.Tests.Punches;

public sealed class PunchNormaliserTests
{
    private static PunchNormaliser Normaliser(PunchOptions? options = null, IdMapping? mapping = null) =>
        new(options ?? new PunchOptions(), Records.Now(), mapping);

    [Fact]
    public void A_good_line_becomes_a_punch_with_everything_Feishu_requires()
    {
        var outcome = Normaliser().Normalise(Records.Punch(3, "7", "2025-06-02 08:57:31", device: "3", direction: "0", name: "Li Lei"));

        var punch = Assert.IsType<Punch>(outcome.Punch);
        Assert.Equal(RawRecordKind.Punch, outcome.Kind);
        Assert.Equal(3, punch.Line);
        Assert.Equal("7", punch.UserKey);
        Assert.Equal("7", punch.UserId);
        Assert.Equal(Records.Shanghai(2025, 6, 2, 8, 57, 31), punch.CheckTime);
        Assert.Equal("考勤机 3", punch.LocationName);
        Assert.Equal("考勤机 3 上班", punch.Comment);
        Assert.Equal(PunchFingerprint.Compute("clock", "7", punch.CheckTime), punch.Fingerprint);
    }

    [Fact]
    public void Skipped_lines_stay_skipped()
    {
        Assert.Equal(RawRecordKind.Skipped, Normaliser().Normalise(RawRecord.Skipped(1)).Kind);
    }

    [Fact]
    public void Reader_rejections_pass_through_with_their_line_field_and_reason()
    {
        var outcome = Normaliser().Normalise(RawRecord.Rejected(9, "time", "time \"2025-13-01 08:00\" is not a valid calendar date"));

        Assert.Equal(new PunchRejection(9, "time", "time \"2025-13-01 08:00\" is not a valid calendar date"), outcome.Rejection);
    }

    [Fact]
    public void A_reader_rejection_without_field_or_reason_still_says_something()
    {
        var outcome = Normaliser().Normalise(new RawRecord { Line = 4, Kind = RawRecordKind.Rejected });

        Assert.Equal(new PunchRejection(4, "line", "the line could not be read"), outcome.Rejection);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_user_key_is_rejected(string? key)
    {
        var record = Records.Punch(5, "x", "2025-06-02 08:57:31") with { UserKey = key };

        var rejection = Normaliser().Normalise(record).Rejection;

        Assert.Equal(new PunchRejection(5, "user", "user key is empty"), rejection);
    }

    [Fact]
    public void A_reset_clock_date_is_rejected_with_the_value_quoted()
    {
        var rejection = Normaliser().Normalise(Records.Punch(7, "7", "2000-01-01 00:03:12")).Rejection;

        Assert.NotNull(rejection);
        Assert.Equal(7, rejection.Line);
        Assert.Equal("time", rejection.Field);
        Assert.Contains("'2000-01-01 00:03:12'", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains("before 2022-01-01 (Asia/Shanghai)", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_earliest_limit_is_midnight_of_2022_01_01_in_the_configured_zone()
    {
        var normaliser = Normaliser();

        Assert.Equal(RawRecordKind.Rejected, normaliser.Normalise(Records.Punch(1, "7", "2021-12-31 23:59:59")).Kind);
        Assert.Equal(RawRecordKind.Punch, normaliser.Normalise(Records.Punch(2, "7", "2022-01-01 00:00:00")).Kind);
    }

    [Fact]
    public void An_offset_can_put_a_punch_before_the_limit_even_when_its_wall_time_is_after_it()
    {
        // 2022-01-01 03:00 at -08:00 is 2022-01-01 19:00 in Shanghai: accepted; 2022-01-01 03:00 at +14:00 is not.
        var normaliser = Normaliser();

        Assert.Equal(RawRecordKind.Punch, normaliser.Normalise(Records.Punch(1, "7", "2022-01-01 03:00:00", offset: TimeSpan.FromHours(-8))).Kind);
        Assert.Equal(RawRecordKind.Rejected, normaliser.Normalise(Records.Punch(2, "7", "2022-01-01 03:00:00", offset: TimeSpan.FromHours(14))).Kind);
    }

    [Fact]
    public void More_than_a_day_in_the_future_is_rejected()
    {
        // Now is 2025-06-03 12:00 UTC = 20:00 in Shanghai; the limit is 2025-06-04 20:00 Shanghai.
        var normaliser = Normaliser();

        var ok = normaliser.Normalise(Records.Punch(1, "7", "2025-06-04 20:00:00"));
        var late = normaliser.Normalise(Records.Punch(2, "7", "2025-06-04 20:00:01"));
        var deadBattery = normaliser.Normalise(Records.Punch(3, "7", "2099-01-01 08:00:00"));

        Assert.Equal(RawRecordKind.Punch, ok.Kind);
        Assert.Equal("time", late.Rejection?.Field);
        Assert.Equal("time '2099-01-01 08:00:00' is more than 1 day in the future (is the clock's date wrong?)", deadBattery.Rejection?.Reason);
    }

    [Fact]
    public void The_future_limit_moves_with_the_time_provider()
    {
        var now = Records.Now();
        var normaliser = new PunchNormaliser(new PunchOptions(), now);
        var record = Records.Punch(1, "7", "2025-06-10 08:00:00");

        Assert.Equal(RawRecordKind.Rejected, normaliser.Normalise(record).Kind);
        now.Advance(TimeSpan.FromDays(7));
        Assert.Equal(RawRecordKind.Punch, normaliser.Normalise(record).Kind);
    }

    [Fact]
    public void A_device_zone_override_applies_to_that_device_only()
    {
        var options = new PunchOptions();
        options.DeviceTimeZones["berlin-gate"] = "Europe/Berlin";
        var normaliser = Normaliser(options);

        var berlin = normaliser.Normalise(Records.Punch(1, "7", "2025-06-02 08:00:00", device: "BERLIN-GATE")).Punch;
        var shanghai = normaliser.Normalise(Records.Punch(2, "7", "2025-06-02 08:00:00", device: "1")).Punch;

        Assert.Equal(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds(), berlin?.CheckTime);
        Assert.Equal(Records.Shanghai(2025, 6, 2, 8, 0, 0), shanghai?.CheckTime);
    }

    [Fact]
    public void The_configured_zone_replaces_the_default()
    {
        var normaliser = Normaliser(new PunchOptions { TimeZone = "America/New_York" });

        var punch = normaliser.Normalise(Records.Punch(1, "7", "2025-06-02 08:00:00")).Punch;

        Assert.Equal(new DateTimeOffset(2025, 6, 2, 8, 0, 0, TimeSpan.FromHours(-4)).ToUnixTimeSeconds(), punch?.CheckTime);
    }

    [Fact]
    public void A_mapped_user_is_sent_with_the_Feishu_id_and_keeps_the_clock_key()
    {
        var mapping = IdMapping.FromPairs([new("7", "ou_li_lei")]);

        var punch = Normaliser(mapping: mapping).Normalise(Records.Punch(1, "7", "2025-06-02 08:00:00")).Punch;

        Assert.Equal("ou_li_lei", punch?.UserId);
        Assert.Equal("7", punch?.UserKey);
    }

    [Fact]
    public void An_unmapped_user_is_rejected_under_the_reject_policy()
    {
        var mapping = IdMapping.FromPairs([new("7", "ou_li_lei")], "id-mapping.csv");

        var rejection = Normaliser(mapping: mapping).Normalise(Records.Punch(12, "A1034", "2025-06-02 08:00:00")).Rejection;

        Assert.Equal(new PunchRejection(12, "user", "user 'A1034' is not in the id mapping id-mapping.csv"), rejection);
    }

    [Fact]
    public void An_unmapped_user_passes_through_under_the_pass_through_policy()
    {
        var mapping = IdMapping.FromPairs([new("7", "ou_li_lei")]);
        var options = new PunchOptions { UnmappedUsers = UnmappedUserPolicy.PassThrough };

        var punch = Normaliser(options, mapping).Normalise(Records.Punch(12, "A1034", "2025-06-02 08:00:00")).Punch;

        Assert.Equal("A1034", punch?.UserId);
    }

    [Theory]
    [InlineData("'0007", "7")]
    [InlineData("000000007", "7")]
    [InlineData("   7", "7")]
    [InlineData("A1034", "A1034")]
    [InlineData("0A12", "0A12")]
    public void Keys_follow_the_shared_UserKeys_rule_whichever_reader_sent_them(string raw, string key)
    {
        var punch = Normaliser().Normalise(Records.Punch(1, raw, "2025-06-02 08:00:00")).Punch;

        Assert.Equal(key, punch?.UserKey);
        Assert.Equal(PunchFingerprint.Compute("clock", key, punch!.CheckTime), punch.Fingerprint);
    }

    [Fact]
    public void A_key_with_control_characters_is_rejected_on_the_user_field()
    {
        var rejection = Normaliser().Normalise(Records.Punch(3, "7\u0001", "2025-06-02 08:00:00")).Rejection;

        Assert.Equal("user", rejection?.Field);
        Assert.Contains("control characters", rejection?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_mapping_every_key_passes_through()
    {
        var punch = Normaliser().Normalise(Records.Punch(1, "A1034", "2025-06-02 08:00:00")).Punch;

        Assert.Equal("A1034", punch?.UserId);
        Assert.Equal("A1034", punch?.UserKey);
    }

    [Theory]
    [InlineData("0", "考勤机 1 上班")]
    [InlineData("1", "考勤机 1 下班")]
    [InlineData("2", "考勤机 1 外出")]
    [InlineData("3", "考勤机 1 外出返回")]
    [InlineData("4", "考勤机 1 加班签到")]
    [InlineData("5", "考勤机 1 加班签退")]
    [InlineData("255", "考勤机 1")]
    [InlineData("Check In", "考勤机 1 Check In")]
    [InlineData(null, "考勤机 1")]
    public void The_comment_names_device_and_direction(string? direction, string comment)
    {
        var punch = Normaliser().Normalise(Records.Punch(1, "7", "2025-06-02 08:00:00", device: "1", direction: direction)).Punch;

        Assert.Equal(comment, punch?.Comment);
    }

    [Fact]
    public void Without_a_device_the_default_location_is_used()
    {
        var punch = Normaliser().Normalise(Records.Punch(1, "7", "2025-06-02 08:00:00", device: null, direction: null)).Punch;

        Assert.Equal("考勤机", punch?.LocationName);
        Assert.Equal("考勤机", punch?.Comment);
        Assert.Null(punch?.Device);
    }

    [Fact]
    public void Device_location_names_and_templates_are_configurable()
    {
        var options = new PunchOptions { CommentTemplate = "{name} @ {location} ({direction})", LocationNameTemplate = "Clock {device}" };
        options.DeviceLocationNames["3"] = "Front door";
        var normaliser = Normaliser(options);

        var named = normaliser.Normalise(Records.Punch(1, "7", "2025-06-02 08:00:00", device: "3", direction: "1", name: "Li Lei")).Punch;
        var templated = normaliser.Normalise(Records.Punch(2, "7", "2025-06-02 08:00:00", device: "4", direction: "1", name: "Li Lei")).Punch;

        Assert.Equal("Front door", named?.LocationName);
        Assert.Equal("Li Lei @ Front door (下班)", named?.Comment);
        Assert.Equal("Clock 4", templated?.LocationName);
    }

    [Fact]
    public void A_normaliser_reading_day_after_day_across_both_changes_agrees_with_the_uncached_rule()
    {
        // The normaliser remembers each day's offset; every minute of the change weekends must still follow the rule.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var afterBoth = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var normaliser = new PunchNormaliser(new PunchOptions { TimeZone = "Europe/Berlin" }, afterBoth);
        foreach (var start in new[] { new DateTime(2025, 3, 29), new DateTime(2025, 10, 25) })
        {
            for (var local = start; local < start.AddDays(3); local = local.AddMinutes(10))
            {
                var record = Records.Punch(1, "7", local.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));

                var punch = normaliser.Normalise(record).Punch;

                Assert.Equal(PunchTimeZones.ToUnixSeconds(record.Time, berlin), punch?.CheckTime);
            }
        }
    }

    [Fact]
    public void Two_devices_sharing_a_location_name_keep_their_own_comments()
    {
        var options = new PunchOptions { CommentTemplate = "{location} #{device} {direction}" };
        options.DeviceLocationNames["1"] = "Lobby";
        options.DeviceLocationNames["2"] = "Lobby";
        var normaliser = Normaliser(options);

        var first = normaliser.Normalise(Records.Punch(1, "7", "2025-06-02 08:00:00", device: "1", direction: "0")).Punch;
        var second = normaliser.Normalise(Records.Punch(2, "7", "2025-06-02 08:00:00", device: "2", direction: "0")).Punch;

        Assert.Equal("Lobby #1 上班", first?.Comment);
        Assert.Equal("Lobby #2 上班", second?.Comment);
    }

    [Fact]
    public void Invalid_options_stop_the_normaliser_from_being_built()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Normaliser(new PunchOptions { BatchSize = 51 }));
    }
}
