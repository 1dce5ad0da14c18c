namespace ClockSync.Punches;

/// <summary>Why one line of an export did not become a punch.</summary>
/// <param name="Line">1-based line (or row) number.</param>
/// <param name="Field">The field at fault: <c>time</c>, <c>user</c>, <c>line</c>, … (as the reader or normaliser named it).</param>
/// <param name="Reason">What is wrong, quoting the value, in words an operator can act on.</param>
public sealed record PunchRejection(long Line, string Field, string Reason);
