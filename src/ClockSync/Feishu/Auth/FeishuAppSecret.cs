using System.Security.Cryptography;
using System.Text;

namespace ClockSync.Feishu;

/// <summary>
/// An app secret. Deliberately a class, not a record or string: <see cref="ToString"/> never shows the value, so the
/// secret cannot leak through logging, string interpolation or a record's generated <c>ToString</c>.
/// </summary>
public sealed class FeishuAppSecret : IEquatable<FeishuAppSecret>
{
    private readonly string value;

    public FeishuAppSecret(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        this.value = value;
    }

    /// <summary>The secret itself, for the one place that sends it: the token request body.</summary>
    public string Reveal() => value;

    public override string ToString() => "***";

    public bool Equals(FeishuAppSecret? other) =>
        other is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value), Encoding.UTF8.GetBytes(other.value));

    public override bool Equals(object? obj) => Equals(obj as FeishuAppSecret);

    public override int GetHashCode() => 0;
}
