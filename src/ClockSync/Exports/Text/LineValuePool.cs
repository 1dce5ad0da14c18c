namespace ClockSync.Exports.Text;

/// <summary>
/// Hands out one string per distinct short value (user keys, device numbers, status codes, names), so a reader does not
/// allocate per line: a clock log repeats the same few hundred values millions of times. Bounded in entries and in
/// entry length, so hostile input cannot grow it without limit; past the bounds it simply allocates.
/// </summary>
internal sealed class LineValuePool
{
    private const int MaxPooledLength = 64;

    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private string _last = string.Empty;

    public LineValuePool(int capacity = 16_384)
    {
        _capacity = capacity;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<char> text)
    {
        // Consecutive lines usually share device and status: one comparison instead of a hash.
        if (text.SequenceEqual(_last))
        {
            return _last;
        }

        if (text.Length > MaxPooledLength)
        {
            return text.ToString();
        }

        if (!_lookup.TryGetValue(text, out var value))
        {
            value = text.ToString();
            if (_entries.Count < _capacity)
            {
                _entries.Add(value, value);
            }
        }

        _last = value;
        return value;
    }

    /// <summary>The trimmed text, pooled, or null when it is blank.</summary>
    public string? GetOrNull(ReadOnlySpan<char> text)
    {
        text = BlankText.Trim(text);
        return text.IsEmpty ? null : Get(text);
    }
}
