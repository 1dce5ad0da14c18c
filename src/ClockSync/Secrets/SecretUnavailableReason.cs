namespace ClockSync.Secrets;

/// <summary>Why a secret could not be read. Each value maps to one operator action in the exception message.</summary>
public enum SecretUnavailableReason
{
    /// <summary>No response from the vault (DNS, connection, TLS, timeout) or the vault answered 429/5xx. Usually passes.</summary>
    VaultUnreachable,

    /// <summary>No token could be obtained for the vault (no managed identity, wrong <c>AZURE_CLIENT_ID</c>, Entra ID down).</summary>
    IdentityUnavailable,

    /// <summary>The vault rejected the token (401), e.g. a token from another tenant.</summary>
    TokenRejected,

    /// <summary>The identity may not read secrets (403): it lacks the Key Vault Secrets User role.</summary>
    AccessDenied,

    /// <summary>The secret does not exist in the vault (404).</summary>
    NotFound,

    /// <summary>The secret's current version is disabled.</summary>
    Disabled,

    /// <summary>The secret exists but its value is empty or blank.</summary>
    Empty,

    /// <summary>No vault is configured and the configuration fallback has no value either.</summary>
    NotConfigured,

    /// <summary>Any other answer from the vault.</summary>
    Unexpected,
}
