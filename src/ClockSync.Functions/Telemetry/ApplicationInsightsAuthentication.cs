using Azure.Core;
using Azure.Identity;

namespace ClockSync.Functions.Telemetry;

/// <summary>
/// Reads <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>Authorization=AAD</c>, optionally <c>;ClientId=…</c>),
/// the same setting the Functions host reads, so the worker's telemetry uses Entra ID too when local auth is off on
/// the Application Insights resource.
/// </summary>
public sealed record ApplicationInsightsAuthentication(string? ClientId)
{
    public const string SettingName = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Null when the setting is absent or empty (instrumentation-key ingestion).</summary>
    /// <exception cref="FormatException">The setting is present but is not an AAD authentication string.</exception>
    public static ApplicationInsightsAuthentication? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        string? authorization = null;
        string? clientId = null;
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                throw new FormatException($"{SettingName}: '{part}' is not a key=value pair.");
            }

            var key = part[..separator].Trim();
            var item = part[(separator + 1)..].Trim();
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization = item;
            }
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            {
                clientId = item.Length == 0 ? null : item;
            }
            else
            {
                throw new FormatException($"{SettingName}: unknown key '{key}' (expected Authorization and ClientId).");
            }
        }

        if (!string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{SettingName}: Authorization must be AAD.");
        }

        return new ApplicationInsightsAuthentication(clientId);
    }

    /// <summary>The user-assigned identity when a client id is given, the system-assigned one otherwise.</summary>
    public TokenCredential CreateCredential() =>
        new ManagedIdentityCredential(ClientId is null
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(ClientId));
}
