using Microsoft.Extensions.Options;

namespace ClockSync.Feishu.Configuration;

/// <summary>
/// Refuses a <see cref="FeishuOptions.BaseUrl"/> the app secret must not be sent to: it must be absolute, and unless
/// <see cref="FeishuOptions.AllowAnyBaseUrl"/> is set, https on one of the two Open API hosts, on the default port, with
/// nothing before the host (<c>https://open.feishu.cn@elsewhere.example</c> is a request to <c>elsewhere.example</c>).
/// </summary>
public sealed class FeishuOptionsValidator : IValidateOptions<FeishuOptions>
{
    /// <summary>The setting that lets a sandbox address through, as the error names it.</summary>
    public const string AllowAnyBaseUrlSetting = "ClockSync__Feishu__AllowAnyBaseUrl";

    private const string BaseUrlSetting = "ClockSync__Feishu__BaseUrl";

    public ValidateOptionsResult Validate(string? name, FeishuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    private static string? Problem(FeishuOptions options)
    {
        if (options.BaseUrl is not { IsAbsoluteUri: true } address)
        {
            return $"{BaseUrlSetting} must be an absolute URI.";
        }

        if (options.AllowAnyBaseUrl || IsOpenApiAddress(address))
        {
            return null;
        }

        // The value itself is not echoed: a mistyped one may carry a credential in its user info.
        return $"{BaseUrlSetting} must be https://{FeishuOptions.FeishuBaseAddress.Host} or https://{FeishuOptions.LarkBaseAddress.Host} "
            + "(https, exactly that host, no user info, no port), because the app secret is sent there; "
            + $"set {AllowAnyBaseUrlSetting}=true only to point at a sandbox (demo, tests, dry runs).";
    }

    private static bool IsOpenApiAddress(Uri address) =>
        address.Scheme == Uri.UriSchemeHttps
        && address.UserInfo.Length == 0
        && address.IsDefaultPort
        && (string.Equals(address.IdnHost, FeishuOptions.FeishuBaseAddress.Host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(address.IdnHost, FeishuOptions.LarkBaseAddress.Host, StringComparison.OrdinalIgnoreCase));
}
