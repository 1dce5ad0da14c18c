using System.Diagnostics.CodeAnalysis;
using ClockSync.Exports.Text;

namespace ClockSync.Exports;

/// <summary>
/// The one rule that turns a clock's user key (PIN, enrol number, 工号, Person ID) into the key ClockSync compares,
/// maps and fingerprints. Every reader applies it, so the same person has the same key whichever export they came from.
/// </summary>
/// <remarks>
/// The rule, in order:
/// <list type="number">
/// <item>Whitespace and NUL characters around the key are dropped (attlog PINs are right-aligned with spaces).</item>
/// <item>One leading apostrophe is dropped: spreadsheet software writes <c>'0007</c> to keep Excel from eating zeros.</item>
/// <item>A key made only of ASCII digits loses its leading zeros (<c>000000007</c> → <c>7</c>, <c>0000</c> → <c>0</c>):
/// text reports zero-pad enrol numbers that attlog files write unpadded, and clocks store them as numbers.</item>
/// <item>Anything else (alphanumeric PINs such as <c>A1034</c> or <c>0A12</c>) is kept exactly as written, case included;
/// keys are compared ordinally.</item>
/// </list>
/// A key is unusable when it is empty, longer than <see cref="MaxLength"/>, holds control characters, or holds U+FFFD
/// (bytes that were not valid text in the detected encoding): such a line is rejected on the <c>user</c> field, never
/// passed on with a guessed key.
/// </remarks>
public static class UserKeys
{
    /// <summary>Longest key accepted. Clock PINs are at most 24 characters; anything much longer is not a key.</summary>
    public const int MaxLength = 64;

    /// <summary>Applies the rule and returns the key (possibly empty). Does not validate; see <see cref="TryNormalise"/>.</summary>
    public static string Normalise(ReadOnlySpan<char> text)
    {
        var key = NormalisedSlice(text);
        return key.IsEmpty ? string.Empty : key.ToString();
    }

    /// <summary>Applies the rule and checks that the result is a usable key.</summary>
    /// <param name="problem">When the key is unusable: why, in words for the rejection reason.</param>
    public static bool TryNormalise(ReadOnlySpan<char> text, out string key, [NotNullWhen(false)] out string? problem)
    {
        if (!TryNormaliseSlice(text, out var slice, out problem))
        {
            key = string.Empty;
            return false;
        }

        key = slice.ToString();
        return true;
    }

    /// <summary>
    /// The allocation-free form of <see cref="TryNormalise"/>: the rule only ever trims, so the key is a slice of
    /// <paramref name="text"/>.
    /// </summary>
    internal static bool TryNormaliseSlice(ReadOnlySpan<char> text, out ReadOnlySpan<char> key, [NotNullWhen(false)] out string? problem)
    {
        key = NormalisedSlice(text);
        if (key.IsEmpty)
        {
            problem = "user key is empty";
            return false;
        }

        if (key.Length > MaxLength)
        {
            problem = $"user key is longer than {MaxLength} characters";
            return false;
        }

        // All-digit keys (most clock PINs) need no further checks.
        if (key.ContainsAnyExceptInRange('0', '9'))
        {
            if (key.Contains('\uFFFD'))
            {
                problem = $"user key {TextQuote.Of(key)} holds bytes that are not valid text in the file's encoding";
                return false;
            }

            foreach (var c in key)
            {
                if (char.IsControl(c))
                {
                    problem = $"user key {TextQuote.Of(key)} holds control characters";
                    return false;
                }
            }
        }

        problem = null;
        return true;
    }

    private static ReadOnlySpan<char> NormalisedSlice(ReadOnlySpan<char> text)
    {
        var key = BlankText.Trim(text);
        if (!key.IsEmpty && key[0] == '\'')
        {
            key = BlankText.Trim(key[1..]);
        }

        if (key.Length > 1 && key[0] == '0' && !key.ContainsAnyExceptInRange('0', '9'))
        {
            var firstNonZero = key.IndexOfAnyExcept('0');
            key = firstNonZero < 0 ? key[^1..] : key[firstNonZero..];
        }

        return key;
    }
}
