namespace ClockSync.TestSettings;

/// <summary>
/// The one list of <c>ClockSync__*</c> app settings, with the value both the local settings sample and the deployed
/// app settings carry (docs/settings.md). Linked into the Functions and the Infra test projects (see their csproj), so
/// the sample's test and the Bicep's test cannot drift apart: a new setting is added here once and both then demand
/// it. A C# list rather than a parse of docs/settings.md: the docs group settings (<c>ClockSync__Storage__*</c>,
/// <c>AppIdSecretName / AppSecretSecretName</c>) for readers, which is no exact list.
/// </summary>
internal static class ExpectedSettings
{
    /// <summary>How the deployment carries a setting.</summary>
    public enum Deployment
    {
        /// <summary>Deployed with <see cref="Setting.Value"/> as it is.</summary>
        Literal,

        /// <summary>Deployed, its value taken from a deployed resource (not a literal).</summary>
        FromResource,

        /// <summary>Left out of the deployment while empty: an empty value would read as a value.</summary>
        OnlyWhenSet,
    }

    /// <param name="Name">The app setting, as in local.settings.json and the Function App.</param>
    /// <param name="Value">Its value in the sample (local) and, for <see cref="Deployment.Literal"/>, in Azure.</param>
    /// <param name="Deployed">How the Bicep deployment carries it.</param>
    public sealed record Setting(string Name, string Value, Deployment Deployed);

    public static IReadOnlyList<Setting> ClockSync { get; } =
    [
        new("ClockSync__Storage__Connection", "ClockSyncStorage", Deployment.Literal),
        new("ClockSync__Storage__ExportsContainer", "clock-exports", Deployment.Literal),
        new("ClockSync__Storage__ReportsContainer", "import-reports", Deployment.Literal),
        new("ClockSync__Storage__ClaimCheckContainer", "punch-batch-payloads", Deployment.Literal),
        new("ClockSync__Storage__BatchQueue", "punch-batches", Deployment.Literal),
        new("ClockSync__Storage__ImportsTable", "Imports", Deployment.Literal),
        new("ClockSync__Storage__FailedBatchesTable", "FailedBatches", Deployment.Literal),
        new("ClockSync__Storage__LedgerTable", "ImportLedger", Deployment.Literal),
        new("ClockSync__Storage__CallCountsTable", "FeishuCalls", Deployment.Literal),
        new("ClockSync__Storage__UnknownUsersTable", "UnknownUsers", Deployment.Literal),
        new("ClockSync__Storage__NotificationsTable", "Notifications", Deployment.Literal),
        new("ClockSync__KeyVault__VaultUri", "", Deployment.FromResource),
        new("ClockSync__KeyVault__AppIdSecretName", "feishu-app-id", Deployment.Literal),
        new("ClockSync__KeyVault__AppSecretSecretName", "feishu-app-secret", Deployment.Literal),
        new("ClockSync__KeyVault__CacheTtl", "00:10:00", Deployment.Literal),
        new("ClockSync__Feishu__BaseUrl", "https://open.feishu.cn", Deployment.Literal),
        new("ClockSync__Feishu__AllowAnyBaseUrl", "false", Deployment.Literal),
        new("ClockSync__Feishu__EmployeeType", "employee_id", Deployment.Literal),
        new("ClockSync__Feishu__RequestsPerSecond", "50", Deployment.Literal),
        new("ClockSync__Feishu__MonthlyCallBudget", "", Deployment.OnlyWhenSet),
        new("ClockSync__Punches__TimeZone", "Asia/Shanghai", Deployment.Literal),
        new("ClockSync__Punches__UnmappedUsers", "Reject", Deployment.Literal),
        new("ClockSync__Punches__IdMappingBlob", "", Deployment.OnlyWhenSet),
        new("ClockSync__Retry__Schedule", "0 */5 * * * *", Deployment.Literal),
        new("ClockSync__Retry__MaxAttempts", "8", Deployment.Literal),
        new("ClockSync__Retry__BaseDelay", "00:01:00", Deployment.Literal),
        new("ClockSync__Retry__MaxDelay", "01:00:00", Deployment.Literal),
        new("ClockSync__Notify__ChatId", "", Deployment.Literal),
        new("ClockSync__Notify__ReceiveIdType", "chat_id", Deployment.Literal),
        new("ClockSync__Notify__ParkedDigestInterval", "00:30:00", Deployment.Literal),
    ];
}
