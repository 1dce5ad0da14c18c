using Microsoft.Extensions.Options;

namespace ClockSync.Secrets;

/// <summary>Rejects settings that would only fail later, at the first secret read, with a less helpful message.</summary>
public sealed class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var failures = new List<string>();
        if (options.VaultUri is { } vaultUri)
        {
            // Bearer tokens are only ever sent over TLS, and a relative value is almost always a vault name
            // pasted without the scheme: say what was expected.
            if (!vaultUri.IsAbsoluteUri || vaultUri.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add(
                    $"{KeyVaultOptions.SectionName}:VaultUri must be an absolute https URI such as " +
                    $"'https://<vault-name>.vault.azure.net/', but was '{vaultUri.OriginalString}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.AppIdSecretName))
        {
            failures.Add($"{KeyVaultOptions.SectionName}:AppIdSecretName must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.AppSecretSecretName))
        {
            failures.Add($"{KeyVaultOptions.SectionName}:AppSecretSecretName must not be empty.");
        }

        if (options.CacheTtl <= TimeSpan.Zero)
        {
            failures.Add($"{KeyVaultOptions.SectionName}:CacheTtl must be positive, but was '{options.CacheTtl:c}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
