using System.Collections.Frozen;
using System.Text;
using ClockSync.Exports;

namespace ClockSync.Punches;

/// <summary>
/// Clock user key → Feishu id, read from a CSV file of <c>clock key,feishu id</c> lines.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused rather than guessed, because a
/// mis-decoded key silently maps nobody.</item>
/// <item>Fields separated by a comma (or a tab or semicolon); double quotes as in CSV; columns after the second (a
/// name, a department) are ignored, so an HR sheet can be saved as is.</item>
/// <item>An optional header: the first line is one when one of its first two fields is a known column name
/// (<c>clock key</c>, <c>pin</c>, <c>工号</c>, <c>feishu id</c>, <c>user_id</c>, <c>employee_no</c>, …).</item>
/// <item>Blank lines and lines starting with <c>#</c> are ignored.</item>
/// <item>Keys are normalised by <see cref="UserKeys.Normalise"/>, the readers' own rule, so <c>"   7"</c>,
/// <c>'0007</c> and <c>000007</c> in the file all match PIN <c>7</c>.</item>
/// <item>A key listed twice with different ids is an error (which one would be right?); twice with the same id is fine.
/// Several keys may map to one id (a person with two badges).</item>
/// </list>
/// </remarks>
public sealed class IdMapping
{
    private static readonly FrozenSet<string> HeaderNames = new[]
    {
        "clock key", "clock_key", "clockkey", "key", "user key", "user_key", "userkey", "pin", "enno", "badgenumber",
        "person id", "emp id", "工号", "考勤号", "考勤号码", "人员编号", "登记号码",
        "feishu id", "feishu_id", "feishuid", "feishu user id", "user_id", "user id", "employee_id", "employee_no",
        "飞书id", "飞书 id", "飞书工号",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, string> _ids;

    private IdMapping(string fileName, FrozenDictionary<string, string> ids)
    {
        FileName = fileName;
        _ids = ids;
    }

    /// <summary>Where the mapping came from, for messages.</summary>
    public string FileName { get; }

    public int Count => _ids.Count;

    /// <summary>The Feishu id for a user key as the readers deliver it (already normalised by <see cref="UserKeys"/>).</summary>
    public bool TryMap(string userKey, out string feishuId)
    {
        ArgumentNullException.ThrowIfNull(userKey);
        return _ids.TryGetValue(userKey, out feishuId!);
    }

    /// <exception cref="IdMappingException">The file is missing, unreadable or has a bad line.</exception>
    public static IdMapping LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IdMappingException(path, 0, $"cannot open the id mapping: {e.Message}");
        }

        using (stream)
        {
            return Load(stream, path);
        }
    }

    /// <exception cref="IdMappingException">The content is not UTF-8 or has a bad line.</exception>
    public static IdMapping Load(Stream content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        var strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        using var reader = new StreamReader(content, strictUtf8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = new List<string>(4);
        long lineNumber = 0;
        var seenContent = false;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (DecoderFallbackException)
            {
                throw new IdMappingException(fileName, lineNumber + 1, "is not UTF-8 text; save the id mapping as UTF-8 (CSV UTF-8 in Excel).");
            }
            catch (IOException e)
            {
                throw new IdMappingException(fileName, lineNumber + 1, $"cannot be read: {e.Message}");
            }

            if (line is null)
            {
                break;
            }

            lineNumber++;
            if (line.AsSpan().Trim().IsEmpty || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            SplitFields(line, fields, fileName, lineNumber);
            var firstContentLine = !seenContent;
            seenContent = true;
            if (firstContentLine && fields.Take(2).Any(f => HeaderNames.Contains(f.Trim())))
            {
                continue;
            }

            if (fields.Count < 2)
            {
                throw new IdMappingException(fileName, lineNumber, $"expected \"clock key,feishu id\", found \"{Shorten(line)}\".");
            }

            var id = fields[1].Trim();
            if (!UserKeys.TryNormalise(fields[0], out var key, out var problem))
            {
                throw new IdMappingException(fileName, lineNumber, $"clock key: {problem} in \"{Shorten(line)}\".");
            }

            if (id.Length == 0)
            {
                throw new IdMappingException(fileName, lineNumber, $"feishu id is empty for clock key \"{key}\".");
            }

            if (ids.TryGetValue(key, out var earlier) && !string.Equals(earlier, id, StringComparison.Ordinal))
            {
                throw new IdMappingException(fileName, lineNumber, $"clock key \"{key}\" is mapped twice, to \"{earlier}\" and to \"{id}\".");
            }

            ids[key] = id;
        }

        return new IdMapping(fileName, ids.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>A mapping given in code or configuration rather than a file.</summary>
    public static IdMapping FromPairs(IEnumerable<KeyValuePair<string, string>> pairs, string name = "configuration")
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, id) in pairs)
        {
            var normalised = UserKeys.Normalise(key ?? string.Empty);
            if (normalised.Length == 0 || string.IsNullOrWhiteSpace(id))
            {
                throw new IdMappingException(name, 0, $"clock key \"{key}\" or its feishu id is empty.");
            }

            ids[normalised] = id.Trim();
        }

        return new IdMapping(name, ids.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static void SplitFields(string line, List<string> fields, string fileName, long lineNumber)
    {
        fields.Clear();
        var delimiter = line.IndexOfAny([',', '\t', ';']) is var at and >= 0 ? line[at] : ',';
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new IdMappingException(fileName, lineNumber, $"has an unclosed quote in \"{Shorten(line)}\".");
        }

        fields.Add(field.ToString());
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : string.Concat(line.AsSpan(0, 77), "...");
}
