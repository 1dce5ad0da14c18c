using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClockSync.Punches;

/// <summary>
/// A punch's stable identity: sent to Feishu as <c>idempotent_id</c> and <c>external_id</c>, used to drop duplicates
/// inside a file and, later, punches already imported from an earlier (cumulative) export.
/// </summary>
/// <remarks>
/// <para>
/// <b>Definition (version 1, never change it silently — a test pins a known value):</b> the UTF-8 bytes of
/// <c>v1|{source}|{userKey}|{checkTime}|{device}</c> are hashed with SHA-256 and the first 16 bytes, read big-endian,
/// are the 128-bit value; its text form is those bytes as 32 lowercase hex digits.
/// </para>
/// <list type="bullet">
/// <item><c>source</c>: <see cref="PunchOptions.Source"/>.</item>
/// <item><c>userKey</c>: the clock's user key after normalisation (not the mapped Feishu id, so that fixing the
/// mapping does not turn an already imported punch into a new one).</item>
/// <item><c>checkTime</c>: the Unix second sent to Feishu, in invariant decimal digits.</item>
/// <item><c>device</c>: the device as the export writes it, trimmed; empty when there is none.</item>
/// </list>
/// <para>
/// Backslashes and bars inside a part are escaped (<c>\\</c>, <c>\|</c>) so that no two punches share a canonical text.
/// Nothing from the file name, the line number, the machine or the run goes in: the same punch re-exported into
/// another file has the same fingerprint. 128 bits keep collisions out of reach for any tenant's lifetime of punches.
/// </para>
/// </remarks>
[JsonConverter(typeof(PunchFingerprintJsonConverter))]
public readonly record struct PunchFingerprint(UInt128 Value)
{
    private const int StackLimit = 256;

    public static PunchFingerprint Compute(string source, string userKey, long checkTime, string? device)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(userKey);
        device = device?.Trim() ?? string.Empty;

        // Worst case every character is escaped; a long is at most 20 characters.
        var maxChars = 3 + 4 + (2 * (source.Length + userKey.Length + device.Length)) + 20;
        char[]? rentedChars = null;
        var chars = maxChars <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(maxChars));
        var length = 0;
        Append(chars, ref length, "v1", escape: false);
        Append(chars, ref length, source, escape: true);
        Append(chars, ref length, userKey, escape: true);
        chars[length++] = '|';
        checkTime.TryFormat(chars[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        Append(chars, ref length, device, escape: true);

        var maxBytes = Encoding.UTF8.GetMaxByteCount(length);
        byte[]? rentedBytes = null;
        var bytes = maxBytes <= StackLimit * 3 ? stackalloc byte[StackLimit * 3] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        var byteCount = Encoding.UTF8.GetBytes(chars[..length], bytes);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..byteCount], hash);

        if (rentedChars is not null)
        {
            ArrayPool<char>.Shared.Return(rentedChars);
        }

        if (rentedBytes is not null)
        {
            ArrayPool<byte>.Shared.Return(rentedBytes);
        }

        return new PunchFingerprint(ReadBigEndian(hash[..16]));
    }

    /// <summary>Digits in <see cref="ToString"/>.</summary>
    public const int HexLength = 32;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>The 32 lowercase hex digits sent as <c>idempotent_id</c>.</summary>
    public override string ToString()
    {
        Span<byte> digits = stackalloc byte[HexLength];
        FormatUtf8(digits);
        return Encoding.ASCII.GetString(digits);
    }

    /// <summary>The digits of <see cref="ToString"/> as UTF-8, into the first <see cref="HexLength"/> bytes of <paramref name="utf8"/>.</summary>
    /// <remarks>Written digit by digit: formatting through <c>TryFormat</c> parses its format string every time, once per punch sent.</remarks>
    public void FormatUtf8(Span<byte> utf8)
    {
        if (utf8.Length < HexLength)
        {
            throw new ArgumentException($"A fingerprint takes {HexLength} bytes, not {utf8.Length}.", nameof(utf8));
        }

        var value = Value;
        for (var i = HexLength - 1; i >= 0; i--, value >>= 4)
        {
            utf8[i] = HexDigits[(int)(value & 0xF)];
        }
    }

    public static PunchFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var fingerprint)
            ? fingerprint
            : throw new FormatException($"\"{text}\" is not a punch fingerprint (32 lowercase hex digits).");
    }

    public static bool TryParse(ReadOnlySpan<char> text, out PunchFingerprint fingerprint)
    {
        fingerprint = default;
        if (text.Length != 32)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        fingerprint = new PunchFingerprint(UInt128.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    private static void Append(Span<char> chars, ref int length, string part, bool escape)
    {
        if (length > 0)
        {
            chars[length++] = '|';
        }

        foreach (var c in part)
        {
            if (escape && c is '|' or '\\')
            {
                chars[length++] = '\\';
            }

            chars[length++] = c;
        }
    }

    private static UInt128 ReadBigEndian(ReadOnlySpan<byte> sixteen)
    {
        var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(sixteen);
        var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(sixteen[8..]);
        return new UInt128(high, low);
    }
}

/// <summary>Writes a fingerprint as its 32-hex-digit text, as everywhere else.</summary>
public sealed class PunchFingerprintJsonConverter : JsonConverter<PunchFingerprint>
{
    public override PunchFingerprint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is not null && PunchFingerprint.TryParse(text, out var fingerprint)
            ? fingerprint
            : throw new JsonException("A punch fingerprint must be 32 lowercase hex digits.");
    }

    public override void Write(Utf8JsonWriter writer, PunchFingerprint value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
