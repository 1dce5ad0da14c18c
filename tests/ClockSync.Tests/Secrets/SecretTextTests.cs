using ClockSync.Secrets;

namespace ClockSync.Tests.Secrets;

/// <summary>The one secret value type and the credentials record that carries it never print the secret.</summary>
public sealed class SecretTextTests
{
    [Fact]
    public void SecretText_never_prints_its_value()
    {
        var secret = new SecretText("hunter2-value");

        Assert.Equal(SecretText.Redacted, secret.ToString());
        Assert.Equal($"[{SecretText.Redacted}]", $"[{secret}]");
        Assert.Equal("hunter2-value", secret.Reveal());
        Assert.Equal(new SecretText("hunter2-value"), secret);
        Assert.NotEqual(new SecretText("other"), secret);
        // Equal or not, the hash says nothing about the value.
        Assert.Equal(new SecretText("other").GetHashCode(), secret.GetHashCode());
    }

    [Fact]
    public void Credentials_print_the_app_id_and_never_the_secret()
    {
        var credentials = new FeishuAppCredentials("cli_x", new SecretText("s3cr3t-value"));

        Assert.DoesNotContain("s3cr3t-value", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", $"{credentials.Secret}", StringComparison.Ordinal);
        Assert.Contains("cli_x", credentials.ToString(), StringComparison.Ordinal);
        Assert.Equal("s3cr3t-value", credentials.Secret.Reveal());
        Assert.Equal(credentials, new FeishuAppCredentials("cli_x", new SecretText("s3cr3t-value")));
        Assert.NotEqual(credentials, new FeishuAppCredentials("cli_x", new SecretText("other")));
    }

    [Fact]
    public void Credentials_need_an_app_id_and_a_secret()
    {
        Assert.Throws<ArgumentException>(() => new FeishuAppCredentials(" ", new SecretText("s")));
        Assert.Throws<ArgumentNullException>(() => new FeishuAppCredentials("cli_x", null!));
    }
}
