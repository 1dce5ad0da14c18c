using Microsoft.Extensions.Options;

namespace ClockSync.Feishu;

/// <summary>
/// Credentials from <see cref="FeishuOptions.AppId"/> and <see cref="FeishuOptions.AppSecret"/>. Reads the
/// options monitor on every call, so a reloaded configuration takes effect without a restart.
/// </summary>
public sealed class ConfigurationFeishuCredentialSource(IOptionsMonitor<FeishuOptions> options) : IFeishuCredentialSource
{
    public ValueTask<FeishuAppCredentials> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(current.AppId) || string.IsNullOrWhiteSpace(current.AppSecret))
        {
            throw new InvalidOperationException(
                $"Feishu credentials are not configured: set {FeishuOptions.SectionName}:AppId and {FeishuOptions.SectionName}:AppSecret.");
        }

        return ValueTask.FromResult(new FeishuAppCredentials(current.AppId, new FeishuAppSecret(current.AppSecret)));
    }
}
