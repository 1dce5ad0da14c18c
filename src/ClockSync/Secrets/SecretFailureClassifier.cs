using System.Text.Json;
using Azure;
using Azure.Identity;

namespace ClockSync.Secrets;

/// <summary>
/// Turns whatever the SDK threw into a <see cref="SecretUnavailableException"/> whose message tells an operator what
/// to do. Messages are built only from the vault URI, the secret name and Key Vault error codes — never from a value.
/// </summary>
internal static class SecretFailureClassifier
{
    private const string RoleHint =
        "Grant the function app's managed identity (the one AZURE_CLIENT_ID names) the 'Key Vault Secrets User' role " +
        "on the vault, and allow its network access if the vault has a firewall";

    public static SecretUnavailableException Classify(Uri vaultUri, string name, Exception exception)
    {
        // Azure.Core reports exhausted retries as an AggregateException of the attempts; the last one says most.
        var cause = exception is AggregateException { InnerExceptions.Count: > 0 } aggregate
            ? aggregate.InnerExceptions[^1]
            : exception;

        return cause switch
        {
            RequestFailedException { Status: 404 } => new SecretUnavailableException(
                vaultUri, name, SecretUnavailableReason.NotFound, isTransient: false,
                $"Key Vault secret '{name}' was not found in {vaultUri} (404). Create it " +
                $"('az keyvault secret set --vault-name <vault> --name {name} --file <file>') or correct " +
                $"{KeyVaultOptions.SectionName}:AppIdSecretName / AppSecretSecretName.",
                exception),
            RequestFailedException { Status: 403 } forbidden when InnerErrorCode(forbidden) == "SecretDisabled" =>
                Disabled(vaultUri, name, exception),
            RequestFailedException { Status: 403 } forbidden => new SecretUnavailableException(
                vaultUri, name, SecretUnavailableReason.AccessDenied, isTransient: false,
                $"Reading Key Vault secret '{name}' from {vaultUri} was refused (403 {ErrorCodes(forbidden)}). {RoleHint}.",
                exception),
            RequestFailedException { Status: 401 } => new SecretUnavailableException(
                vaultUri, name, SecretUnavailableReason.TokenRejected, isTransient: false,
                $"Key Vault {vaultUri} rejected the identity's token while reading secret '{name}' (401). Check that " +
                "the identity belongs to the vault's tenant and that AZURE_CLIENT_ID names the intended identity.",
                exception),
            RequestFailedException { Status: 0 or 408 or 429 or >= 500 } failed => Unreachable(vaultUri, name, Describe(failed), exception),
            RequestFailedException failed => new SecretUnavailableException(
                vaultUri, name, SecretUnavailableReason.Unexpected, isTransient: false,
                $"Key Vault {vaultUri} answered {failed.Status} {ErrorCodes(failed)} when reading secret '{name}'. " +
                "Check the vault URI and secret name.",
                exception),
            CredentialUnavailableException => new SecretUnavailableException(
                vaultUri, name, SecretUnavailableReason.IdentityUnavailable, isTransient: false,
                $"No Azure identity is available to read Key Vault secret '{name}' from {vaultUri}. In Azure, assign a " +
                "managed identity to the function app and set AZURE_CLIENT_ID to its client id; locally, sign in with " +
                $"'az login' or leave {KeyVaultOptions.SectionName}:VaultUri empty and set ClockSync:Feishu:AppId/AppSecret.",
                exception),
            AuthenticationFailedException => new SecretUnavailableException(
                vaultUri, name, SecretUnavailableReason.IdentityUnavailable, isTransient: true,
                $"Getting a token to read Key Vault secret '{name}' from {vaultUri} failed. Check AZURE_CLIENT_ID and " +
                "the managed identity; if they are right, Entra ID was unreachable and a retry will do.",
                exception),
            HttpRequestException or OperationCanceledException or TimeoutException =>
                Unreachable(vaultUri, name, "no response", exception),
            _ => new SecretUnavailableException(
                vaultUri, name, SecretUnavailableReason.Unexpected, isTransient: false,
                $"Reading Key Vault secret '{name}' from {vaultUri} failed unexpectedly ({cause.GetType().Name}).",
                exception),
        };
    }

    public static SecretUnavailableException Disabled(Uri vaultUri, string name, Exception? innerException) => new(
        vaultUri, name, SecretUnavailableReason.Disabled, isTransient: false,
        $"Key Vault secret '{name}' in {vaultUri} is disabled. Enable its current version or set a new version.",
        innerException);

    private static SecretUnavailableException Unreachable(Uri vaultUri, string name, string what, Exception exception) => new(
        vaultUri, name, SecretUnavailableReason.VaultUnreachable, isTransient: true,
        $"Key Vault {vaultUri} could not be reached to read secret '{name}' ({what}). Check the vault URI, DNS and " +
        "network access (private endpoint, firewall); the read is retried on the next call.",
        exception);

    private static string Describe(RequestFailedException failed) =>
        failed.Status == 0 ? "no response" : $"HTTP {failed.Status} {failed.ErrorCode}".TrimEnd();

    private static string ErrorCodes(RequestFailedException failed)
    {
        var inner = InnerErrorCode(failed);
        return inner is null ? failed.ErrorCode ?? "no error code" : $"{failed.ErrorCode}/{inner}";
    }

    /// <summary>
    /// Key Vault puts the precise reason in <c>error.innererror.code</c> (SecretDisabled, ForbiddenByRbac,
    /// ForbiddenByFirewall…); the SDK only surfaces <c>error.code</c>.
    /// </summary>
    private static string? InnerErrorCode(RequestFailedException failed)
    {
        var content = failed.GetRawResponse()?.Content;
        if (content is null)
        {
            return null;
        }

        try
        {
            using var body = JsonDocument.Parse(content.ToMemory());
            return body.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && (error.TryGetProperty("innererror", out var inner) || error.TryGetProperty("innerError", out inner))
                && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String
                    ? code.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
