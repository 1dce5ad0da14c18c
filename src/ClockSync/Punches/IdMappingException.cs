namespace ClockSync.Punches;

/// <summary>The id-mapping file cannot be used; the message names the file and, when there is one, the line.</summary>
public sealed class IdMappingException : Exception
{
    public IdMappingException(string fileName, long line, string problem)
        : base(line > 0 ? $"{fileName} line {line}: {problem}" : $"{fileName}: {problem}")
    {
        FileName = fileName;
        Line = line;
    }

    public IdMappingException()
    {
        FileName = string.Empty;
    }

    public IdMappingException(string message)
        : base(message)
    {
        FileName = string.Empty;
    }

    public IdMappingException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
    }

    public string FileName { get; }

    /// <summary>1-based line at fault, or 0 when the problem is the file as a whole.</summary>
    public long Line { get; }
}
