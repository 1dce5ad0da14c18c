namespace ClockSync.Secrets;

/// <summary>
/// A secret could not be read. The message names the vault, the secret's NAME and what to do about it; it never
/// contains the secret's value.
/// </summary>
public sealed class SecretUnavailableException : Exception
{
    public SecretUnavailableException()
        : this("A secret could not be read.")
    {
    }

    public SecretUnavailableException(string message)
        : this(message, innerException: null)
    {
    }

    public SecretUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
        SecretName = string.Empty;
        Reason = SecretUnavailableReason.Unexpected;
    }

    public SecretUnavailableException(
        Uri? vaultUri,
        string secretName,
        SecretUnavailableReason reason,
        bool isTransient,
        string message,
        Exception? innerException = null)
        : base(message, innerException)
    {
        VaultUri = vaultUri;
        SecretName = secretName;
        Reason = reason;
        IsTransient = isTransient;
    }

    /// <summary>The vault asked, or null when the value was expected from configuration.</summary>
    public Uri? VaultUri { get; }

    /// <summary>The secret's name in the vault (or the configuration key when no vault is configured).</summary>
    public string SecretName { get; }

    public SecretUnavailableReason Reason { get; }

    /// <summary>
    /// True when trying again later may succeed without anyone changing anything (network, throttling, 5xx);
    /// false when an operator must act (role assignment, missing or disabled secret, configuration).
    /// </summary>
    public bool IsTransient { get; }
}
