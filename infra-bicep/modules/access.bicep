// Role assignments, each on the one resource it is needed for (never the resource group or subscription).
//
// The app identity gets data-plane roles only:
// - Storage Blob Data Owner: the Functions host keeps blob-trigger receipts and leases in AzureWebJobsStorage and the
//   Flex Consumption platform reads the deployment package; the app reads exports and writes reports and claim-check
//   payloads. The host documents Owner (not Contributor) for blob triggers.
// - Storage Queue Data Contributor: punch-batches and its poison queue, and the blob trigger's poison queue.
// - Storage Table Data Contributor: Imports, FailedBatches, the ledger and the call counters.
// - Key Vault Secrets User on the vault: read the Feishu app id and secret.
// - Monitoring Metrics Publisher on Application Insights: Entra-authenticated telemetry (local auth is off).
//
// Storage Account Contributor is deliberately NOT granted: it is a control-plane role that includes listKeys, and the
// app needs none of it. The blob trigger runs with Source = EventGrid, so the extension neither scans the account nor
// changes its service properties (only the polling trigger does that), and the Event Grid subscription is created by
// this template (blob-events.bicep) with the deploying principal's rights, not by the app at run time.

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the Key Vault.')
param keyVaultName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Resource id of the app identity (a deployment-time constant, used to name the assignments).')
param identityId string

@description('Principal (object) id of the app identity.')
param identityPrincipalId string

@description('Object id of the person or pipeline that deploys and operates the app; empty grants nothing.')
param deployerPrincipalId string

@description('Kind of principal of deployerPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var appStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

var grantDeployer = !empty(deployerPrincipalId)

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appStorageRoles: {
    name: guid(storageAccount.id, identityId, roleId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Optional, for the operator: set the Feishu secrets, and run `clocksync` against the deployed storage: upload exports
// and read reports (blobs), `status` and `failed` (tables: Imports, FailedBatches, the ledger and call counters). Every
// command first makes sure the pipeline's containers, queues and tables exist, which is why queues are in the list.
var deployerStorageRoles = grantDeployer
  ? [
      roles.storageBlobDataContributor
      roles.storageQueueDataContributor
      roles.storageTableDataContributor
    ]
  : []

resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantDeployer) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

resource deployerStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in deployerStorageRoles: {
    name: guid(storageAccount.id, deployerPrincipalId, roleId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: deployerPrincipalId
      principalType: deployerPrincipalType
    }
  }
]
