using System.Text;

namespace ClockSync.Exports;

/// <summary>What a column of a delimited or Excel export holds, as recognised from its header text.</summary>
internal enum ColumnRole : byte
{
    UserKey,

    /// <summary>A full date and time of day (<c>打卡时间</c>, <c>CHECKTIME</c>, <c>Punch Time</c>…).</summary>
    DateTime,

    /// <summary>
    /// <c>Time</c> / <c>时间</c>: the time of day when the header also has a date column, a full date-time otherwise
    /// (ZKBioTime writes <c>Date,Time</c>; its <c>AC-No.,Name,Time</c> export puts both in <c>Time</c>).
    /// </summary>
    TimeOrDateTime,

    Date,
    Device,
    Direction,
    Name,
}

/// <summary>
/// The header names that clock vendors' software writes, per column role. Within one role an earlier alias wins when a
/// header has several matching columns: a standalone clock's report has both <c>No</c> (a row counter) and <c>EnNo</c>
/// (the enrol number), and an Att2000 dump may carry both <c>Badgenumber</c> and the internal <c>USERID</c>.
/// </summary>
internal static class ColumnAliases
{
    private static readonly (ColumnRole Role, string[] Names)[] Table =
    [
        (ColumnRole.UserKey,
        [
            "工号", "员工工号", "人员编号", "登记号码", "考勤号码", "打卡工号", "EnNo", "PIN", "Badgenumber", "Person ID",
            "Emp ID", "AC-No.", "emp_code", "No.", "USERID",
        ]),
        (ColumnRole.DateTime,
            ["打卡时间", "签到时间", "日期时间", "CHECKTIME", "Date/Time", "DateTime", "Punch Time", "punch_time"]),
        (ColumnRole.TimeOrDateTime, ["时间", "Time"]),
        (ColumnRole.Date, ["日期", "Date"]),
        (ColumnRole.Device,
        [
            "考勤机号", "机器号", "设备", "设备名称", "DeviceID", "Mchn", "TMNo", "sn", "Serial Number", "terminal_sn",
            "Attendance Check Point", "SENSORID", "Device", "Device Name", "Terminal",
        ]),
        (ColumnRole.Direction,
            ["状态", "考勤状态", "CHECKTYPE", "Status", "Attendance Status", "punch_state", "Punch State", "State"]),
        (ColumnRole.Name, ["姓名", "Name", "First Name"]),
    ];

    private static readonly Dictionary<string, (ColumnRole Role, int Rank)> ByName = Build();

    /// <summary>Looks up a header cell already passed through <see cref="NormaliseHeader"/>.</summary>
    public static bool TryMatch(string normalisedHeader, out ColumnRole role, out int rank)
    {
        if (ByName.TryGetValue(normalisedHeader, out var match))
        {
            (role, rank) = match;
            return true;
        }

        role = default;
        rank = 0;
        return false;
    }

    /// <summary>
    /// Header text in a comparable form: trimmed, full-width ASCII folded to half-width, underscores read as spaces,
    /// runs of white space collapsed, upper case. <c>punch_time</c>, <c>Punch  Time</c> and <c>ＰＩＮ</c> all match.
    /// </summary>
    public static string NormaliseHeader(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var raw in text)
        {
            var c = raw switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(raw - 0xFEE0),
                '\u3000' or '_' => ' ',
                '\uFEFF' => ' ',
                _ => raw,
            };

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    private static Dictionary<string, (ColumnRole Role, int Rank)> Build()
    {
        var byName = new Dictionary<string, (ColumnRole, int)>(StringComparer.Ordinal);
        foreach (var (role, names) in Table)
        {
            for (var rank = 0; rank < names.Length; rank++)
            {
                byName.TryAdd(NormaliseHeader(names[rank]), (role, rank));
            }
        }

        return byName;
    }
}
