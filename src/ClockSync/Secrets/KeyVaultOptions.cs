namespace ClockSync.Secrets;

/// <summary>
/// Where the Feishu app credentials come from. Bound from <c>ClockSync:KeyVault</c>.
/// When <see cref="VaultUri"/> is absent the credentials are read from configuration instead
/// (<c>ClockSync:Feishu:AppId</c> / <c>ClockSync:Feishu:AppSecret</c>), which is meant for local runs only.
/// </summary>
public sealed record KeyVaultOptions
{
    public const string SectionName = "ClockSync:KeyVault";

    public static readonly TimeSpan DefaultCacheTtl = TimeSpan.FromMinutes(10);

    /// <summary>The vault, e.g. <c>https://my-vault.vault.azure.net/</c>. Null means "no vault: use configuration".</summary>
    public Uri? VaultUri { get; set; }

    public string AppIdSecretName { get; set; } = "feishu-app-id";

    public string AppSecretSecretName { get; set; } = "feishu-app-secret";

    /// <summary>
    /// How long a fetched value is served without asking the vault again. A failed refresh caused by the
    /// network may keep serving the old value for at most one more TTL (see <see cref="KeyVaultSecretProvider"/>).
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = DefaultCacheTtl;
}
