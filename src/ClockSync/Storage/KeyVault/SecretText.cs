using System.Diagnostics;

namespace ClockSync.Storage.KeyVault;

/// <summary>
/// Secret text that does not print itself: <see cref="ToString"/>, the debugger and string interpolation all show a
/// placeholder, so a secret passed to a logger, an exception message or a record's <c>ToString</c> stays hidden.
/// Call <see cref="Reveal"/> only where the value is actually sent (e.g. the Feishu token request body).
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

    public bool Equals(SecretText? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SecretText);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
