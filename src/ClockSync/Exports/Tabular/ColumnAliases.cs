using System.Text;

namespace ClockSync.Exports.Tabular;

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
    // Field names of ZKTime/ZKBioTime, Hikvision iVMS, Dahua, Deli 得力, Comet 科密 and DingTalk exports, besides the
    // generic ones. Card numbers (卡号) come last among user keys: a card is a stand-in for the person, used only when
    // nothing names the person.
    private static readonly (ColumnRole Role, string[] Names)[] Table =
    [
        (ColumnRole.UserKey,
        [
            "工号", "员工工号", "人员编号", "登记号码", "考勤号码", "打卡工号", "EnNo", "PIN", "Badgenumber", "Person ID",
            "Emp ID", "AC-No.", "emp_code", "No.", "Employee ID", "员工编号", "员工号", "人员工号", "考勤号", "人员ID",
            "员工ID", "用户编号", "Employee No.", "Emp No.", "Personnel ID", "USERID", "用户ID", "卡号", "Card No.",
            "Card Number",
        ]),
        (ColumnRole.DateTime,
        [
            "打卡时间", "签到时间", "日期时间", "CHECKTIME", "Date/Time", "DateTime", "Punch Time", "punch_time",
            "刷卡时间", "考勤时间", "识别时间", "认证时间", "通行时间", "记录时间", "Attendance Time", "Clock Time",
            "Record Time", "Event Time",
        ]),
        (ColumnRole.TimeOrDateTime, ["时间", "Time", "Authentication Time"]),
        (ColumnRole.Date,
        [
            "日期", "Date", "Punch Date", "考勤日期", "打卡日期", "刷卡日期", "Attendance Date", "Authentication Date",
            "Work Date",
        ]),
        (ColumnRole.Device,
        [
            "考勤机号", "机器号", "设备", "设备名称", "DeviceID", "Mchn", "TMNo", "sn", "Serial Number", "terminal_sn",
            "Attendance Check Point", "SENSORID", "Device", "Device Name", "Terminal", "设备号", "设备编号", "设备序列号",
            "机号", "考勤机", "考勤点", "门禁点", "打卡设备", "Device No.", "Device Serial No.", "Machine No.",
        ]),
        (ColumnRole.Direction,
        [
            "状态", "考勤状态", "CHECKTYPE", "Status", "Attendance Status", "punch_state", "Punch State", "State",
            "打卡状态", "出入状态", "进出方向", "方向", "In/Out", "Attendance State",
        ]),
        (ColumnRole.Name, ["姓名", "Name", "First Name", "员工姓名", "人员姓名", "Person Name", "Employee Name", "Full Name"]),
    ];

    private static readonly Dictionary<string, (ColumnRole Role, int Rank)> ByName = Build(static name => name);

    private static readonly Dictionary<string, (ColumnRole Role, int Rank)> ByCompactName = Build(Compact);

    /// <summary>Each alias with its compact form, for <see cref="Closest"/>.</summary>
    private static readonly (ColumnRole Role, string Name, string Compact)[] Compacts =
        [.. Table.SelectMany(entry => entry.Names.Select(name => (entry.Role, name, Compact(NormaliseHeader(name)))))];

    /// <summary>
    /// Looks up a header cell already passed through <see cref="NormaliseHeader"/>: as written, then without spaces and
    /// qualifiers (<see cref="Compact"/>), then each half of a bilingual <c>工号/Emp ID</c>.
    /// </summary>
    public static bool TryMatch(string normalisedHeader, out ColumnRole role, out int rank)
    {
        if (ByName.TryGetValue(normalisedHeader, out var match)
            || ByCompactName.TryGetValue(Compact(normalisedHeader), out match)
            || TryMatchParts(normalisedHeader, out match))
        {
            (role, rank) = match;
            return true;
        }

        role = default;
        rank = 0;
        return false;
    }

    /// <summary>The aliases of a role, as the table lists them.</summary>
    public static IEnumerable<string> Names(ColumnRole role) => Table.Where(entry => entry.Role == role).SelectMany(entry => entry.Names);

    /// <summary>
    /// The alias of <paramref name="roles"/> nearest a header cell (fewest edits between the compact forms), for a
    /// message that says what was expected; null when none is within half the alias' length.
    /// </summary>
    public static (string Alias, int Distance)? Closest(string normalisedHeader, params ColumnRole[] roles)
    {
        var compact = Compact(normalisedHeader);
        if (compact.Length == 0)
        {
            return null;
        }

        (string, int)? best = null;
        var bestDistance = int.MaxValue;
        foreach (var (role, name, candidate) in Compacts)
        {
            if (Array.IndexOf(roles, role) < 0)
            {
                continue;
            }

            var distance = EditDistance(compact, candidate);
            if (distance < bestDistance && distance * 2 <= Math.Max(candidate.Length, 2))
            {
                best = (name, distance);
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// A normalised header without what varies between exports of one field: spaces, a trailing qualifier or unit in
    /// brackets (<c>时间（打卡）</c>, <c>Time (UTC+8)</c>, <c>日期[yyyy-MM-dd]</c>, <c>时间【北京】</c>), a trailing colon
    /// and the asterisk that marks a required field.
    /// </summary>
    internal static string Compact(string normalisedHeader)
    {
        Span<char> buffer = normalisedHeader.Length <= 128 ? stackalloc char[normalisedHeader.Length] : new char[normalisedHeader.Length];
        var compact = Compact(normalisedHeader, buffer);
        return compact.SequenceEqual(normalisedHeader) ? normalisedHeader : compact.ToString();
    }

    /// <summary>
    /// <see cref="Compact(string)"/> into a buffer at least as long as the header, without allocating (the header
    /// search asks it of every cell of every line it tries).
    /// </summary>
    internal static ReadOnlySpan<char> Compact(ReadOnlySpan<char> normalisedHeader, Span<char> buffer)
    {
        var text = normalisedHeader.Trim().Trim('*').TrimEnd(':').Trim();
        while (text.Length > 1 && ClosingBracket(text[^1]) is { } opening)
        {
            var start = text.LastIndexOf(opening);
            if (start <= 0)
            {
                break;
            }

            text = text[..start].Trim().TrimEnd(':').Trim();
        }

        var length = 0;
        foreach (var c in text)
        {
            if (c != ' ')
            {
                buffer[length++] = c;
            }
        }

        return buffer[..length];
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

    private static char? ClosingBracket(char c) => c switch
    {
        ')' => '(',
        ']' => '[',
        '】' => '【',
        '〕' => '〔',
        '>' => '<',
        _ => null,
    };

    private static bool TryMatchParts(string normalisedHeader, out (ColumnRole Role, int Rank) match)
    {
        match = default;
        var slash = normalisedHeader.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash != normalisedHeader.LastIndexOf('/'))
        {
            return false;
        }

        return ByCompactName.TryGetValue(Compact(normalisedHeader[..slash]), out match)
            || ByCompactName.TryGetValue(Compact(normalisedHeader[(slash + 1)..]), out match);
    }

    private static int EditDistance(string a, string b)
    {
        // Aliases are short: the two rows of the table fit on the stack.
        Span<int> previous = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> current = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            current.CopyTo(previous);
        }

        return previous[b.Length];
    }

    private static Dictionary<string, (ColumnRole Role, int Rank)> Build(Func<string, string> key)
    {
        var byName = new Dictionary<string, (ColumnRole, int)>(StringComparer.Ordinal);
        foreach (var (role, names) in Table)
        {
            for (var rank = 0; rank < names.Length; rank++)
            {
                byName.TryAdd(key(NormaliseHeader(names[rank])), (role, rank));
            }
        }

        return byName;
    }
}
