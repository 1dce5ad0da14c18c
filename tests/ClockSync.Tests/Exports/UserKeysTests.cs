using ClockSync.Exports;

namespace ClockSync.Tests.Exports;

public sealed class UserKeysTests
{
    [Theory]
    [InlineData("        7", "7")]
    [InlineData("000000007", "7")]
    [InlineData("0007", "7")]
    [InlineData("'0007", "7")]
    [InlineData(" ' 0042 ", "42")]
    [InlineData("0", "0")]
    [InlineData("0000", "0")]
    [InlineData("A1034", "A1034")]
    [InlineData(" A1034\0\0", "A1034")]
    [InlineData("0A12", "0A12")]
    [InlineData("a1034", "a1034")]
    [InlineData("１２３", "１２３")]
    [InlineData("E-0007", "E-0007")]
    [InlineData("\u00A07\u3000", "7")]
    [InlineData("\t0042\t", "42")]
    public void Normalise_trims_and_strips_padding_zeros_only_from_all_digit_keys(string written, string expected)
    {
        Assert.Equal(expected, UserKeys.Normalise(written));
        Assert.True(UserKeys.TryNormalise(written, out var key, out var problem));
        Assert.Equal(expected, key);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("'", "empty")]
    [InlineData("\0\0", "empty")]
    [InlineData("12\uFFFD4", "not valid text")]
    [InlineData("12\u00014", "control characters")]
    public void TryNormalise_rejects_unusable_keys(string written, string expectedProblem)
    {
        Assert.False(UserKeys.TryNormalise(written, out var key, out var problem));
        Assert.Equal(string.Empty, key);
        Assert.Contains(expectedProblem, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormalise_rejects_a_key_longer_than_the_limit()
    {
        Assert.True(UserKeys.TryNormalise(new string('A', UserKeys.MaxLength), out _, out _));
        Assert.False(UserKeys.TryNormalise(new string('A', UserKeys.MaxLength + 1), out _, out var problem));
        Assert.Contains("longer than", problem, StringComparison.Ordinal);
    }
}
