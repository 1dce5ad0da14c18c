using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ClockSync.Secrets;

/// <summary>
/// Secret text that does not print itself: <see cref="ToString"/>, the debugger and string interpolation all show a
/// placeholder, so a secret passed to a logger, an exception message or a record's <c>ToString</c> stays hidden.
/// Deliberately a class, not a record or string. Call <see cref="Reveal"/> only where the value is actually sent (the
/// Feishu token request body).
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class SecretText : IEquatable<SecretText>
{
    public const string Redacted = "[secret]";

    private readonly string _value;

    public SecretText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    public int Length => _value.Length;

    public string Reveal() => _value;

    public override string ToString() => Redacted;

    // Constant time, and a hash that says nothing about the value: comparing secrets must not leak them either.
    public bool Equals(SecretText? other) =>
        other is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(_value), Encoding.UTF8.GetBytes(other._value));

    public override bool Equals(object? obj) => Equals(obj as SecretText);

    public override int GetHashCode() => 0;
}
