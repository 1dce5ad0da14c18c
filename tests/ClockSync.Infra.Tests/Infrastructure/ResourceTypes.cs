namespace ClockSync.Infra.Tests.Infrastructure;

internal static class ResourceTypes
{
    public const string Identity = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string StorageAccount = "Microsoft.Storage/storageAccounts";
    public const string BlobService = "Microsoft.Storage/storageAccounts/blobServices";
    public const string BlobContainer = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string QueueService = "Microsoft.Storage/storageAccounts/queueServices";
    public const string Queue = "Microsoft.Storage/storageAccounts/queueServices/queues";
    public const string ManagementPolicy = "Microsoft.Storage/storageAccounts/managementPolicies";
    public const string VirtualNetwork = "Microsoft.Network/virtualNetworks";
    public const string PrivateEndpoint = "Microsoft.Network/privateEndpoints";
    public const string PrivateDnsZone = "Microsoft.Network/privateDnsZones";
    public const string Table = "Microsoft.Storage/storageAccounts/tableServices/tables";
    public const string KeyVault = "Microsoft.KeyVault/vaults";
    public const string KeyVaultSecret = "Microsoft.KeyVault/vaults/secrets";
    public const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    public const string DiagnosticSetting = "Microsoft.Insights/diagnosticSettings";
    public const string Workspace = "Microsoft.OperationalInsights/workspaces";
    public const string AppInsights = "Microsoft.Insights/components";
    public const string LogAlert = "Microsoft.Insights/scheduledQueryRules";
    public const string Plan = "Microsoft.Web/serverfarms";
    public const string FunctionApp = "Microsoft.Web/sites";
    public const string BasicPublishingPolicy = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    public const string SystemTopic = "Microsoft.EventGrid/systemTopics";
    public const string EventSubscription = "Microsoft.EventGrid/systemTopics/eventSubscriptions";
}
