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
/// <b>Definition (version 2, the one in use; never change it silently — a test pins known values).</b> Let
/// <c>H(text)</c> be the first 16 bytes of SHA-256 over the UTF-8 bytes of <c>text</c>, read big-endian as a 128-bit
/// value. For a punch of <c>userKey</c> at Unix second <c>t</c>, with <c>m</c> the second its UTC minute starts at:
/// </para>
/// <list type="bullet">
/// <item>time written with seconds: <c>H("v2|{source}|{userKey}|{m}") XOR H("v2|second|{t - m}")</c> (<see cref="Compute"/>);</item>
/// <item>time written without seconds (its second is unknown; it is posted at <c>m</c>):
/// <c>H("v2|{source}|{userKey}|{m}") XOR H("v2|minute")</c> (<see cref="ComputeMinute"/>). Its own form keeps a punch
/// recorded to the minute apart from a real punch at second :00.</item>
/// </list>
/// <para>
/// <c>source</c> is <see cref="PunchOptions.Source"/> (configuration, the same for every format); <c>userKey</c> the
/// clock's user key after normalisation (not the mapped Feishu id, so that fixing the mapping does not turn an already
/// imported punch into a new one); numbers are invariant decimal digits. Backslashes and bars inside a part are escaped
/// (<c>\\</c>, <c>\|</c>) so that no two punches share a canonical text. Nothing from the format, the device text, the file
/// name, the line number, the machine or the run goes in: the same punch read from a USB attlog, a PUSH body or a CSV
/// report has the same fingerprint.
/// </para>
/// <para>
/// Why the XOR: the 61 identities a user can have within one minute share one SHA-256, so a punch without seconds is
/// checked against the 60 seconds of its minute (<see cref="PunchIdentity"/>) with 60 XORs, not 60 hashes. The masks
/// are distinct fixed values, so two punches share a fingerprint only if their minute hashes collide — 128 bits keep
/// that out of reach for any tenant's lifetime of punches.
/// </para>
/// <para>
/// <b>Version 1</b> (<see cref="ComputeV1"/>, releases before identity v2) was <c>H("v1|{source}|{userKey}|{t}|{device}")</c>
/// with the device text as written, so one punch exported in two formats had two or three identities. It is kept only
/// to recognise punches an older release already imported.
/// </para>
/// </remarks>
[JsonConverter(typeof(PunchFingerprintJsonConverter))]
public readonly record struct PunchFingerprint(UInt128 Value)
{
    private const int StackLimit = 256;

    private const long SecondsPerMinute = 60;

    /// <summary>The mask of each second of a minute (0–59), then the mask of a time without seconds (index 60).</summary>
    private static readonly UInt128[] Masks = CreateMasks();

    /// <summary>Version 2 of a punch whose time has seconds: the user at that second.</summary>
    public static PunchFingerprint Compute(string source, string userKey, long checkTime)
    {
        var minute = MinuteStart(checkTime);
        return new PunchFingerprint(MinuteHash(source, userKey, minute) ^ Masks[checkTime - minute]);
    }

    /// <summary>Version 2 of a punch recorded without seconds, in the minute that contains <paramref name="checkTime"/>.</summary>
    public static PunchFingerprint ComputeMinute(string source, string userKey, long checkTime) =>
        new(MinuteHash(source, userKey, MinuteStart(checkTime)) ^ Masks[SecondsPerMinute]);

    /// <summary>Version 1 (device text included), to find punches imported before identity v2.</summary>
    public static PunchFingerprint ComputeV1(string source, string userKey, long checkTime, string? device) =>
        new(Hash("v1", source, userKey, checkTime, device?.Trim() ?? string.Empty));

    /// <summary>The second the UTC minute of <paramref name="checkTime"/> starts at (rounded down, also before 1970).</summary>
    public static long MinuteStart(long checkTime)
    {
        var rest = checkTime % SecondsPerMinute;
        return checkTime - (rest < 0 ? rest + SecondsPerMinute : rest);
    }

    /// <summary>
    /// The version-2 fingerprint of the same user in the same minute at <paramref name="second"/> (0–59), or without
    /// seconds (<paramref name="second"/> null), from this version-2 fingerprint: no hashing.
    /// </summary>
    /// <param name="ownSecond">The second of this fingerprint's punch within its minute, or null for a time without seconds.</param>
    /// <param name="second">The second wanted, or null for the time-without-seconds form.</param>
    internal PunchFingerprint Sibling(int? ownSecond, int? second) =>
        new(Value ^ Masks[ownSecond ?? SecondsPerMinute] ^ Masks[second ?? SecondsPerMinute]);

    private static UInt128 MinuteHash(string source, string userKey, long minute) => Hash("v2", source, userKey, minute, device: null);

    private static UInt128[] CreateMasks()
    {
        var masks = new UInt128[SecondsPerMinute + 1];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        for (var second = 0; second < SecondsPerMinute; second++)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v2|second|{second}")), hash);
            masks[second] = ReadBigEndian(hash[..16]);
        }

        SHA256.HashData("v2|minute"u8, hash);
        masks[SecondsPerMinute] = ReadBigEndian(hash[..16]);
        return masks;
    }

    /// <param name="device">Appended as a last part when not null (version 1 only).</param>
    private static UInt128 Hash(string version, string source, string userKey, long checkTime, string? device)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(userKey);

        // Worst case every character is escaped; a long is at most 20 characters.
        var maxChars = version.Length + 4 + (2 * (source.Length + userKey.Length + (device?.Length ?? 0))) + 20;
        char[]? rentedChars = null;
        var chars = maxChars <= StackLimit ? stackalloc char[StackLimit] : (rentedChars = ArrayPool<char>.Shared.Rent(maxChars));
        var length = 0;
        Append(chars, ref length, version, escape: false);
        Append(chars, ref length, source, escape: true);
        Append(chars, ref length, userKey, escape: true);
        chars[length++] = '|';
        checkTime.TryFormat(chars[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        if (device is not null)
        {
            Append(chars, ref length, device, escape: true);
        }

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

        return ReadBigEndian(hash[..16]);
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
