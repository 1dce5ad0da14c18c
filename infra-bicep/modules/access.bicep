// Role assignments, each on the narrowest resource Azure allows for it (never the resource group or subscription).
//
// The app identity, on the data storage account (ClockSyncStorage), per container, queue and table it uses:
// - clock-exports: Storage Blob Data Owner, which the Functions documentation asks of a blob trigger's connection.
// - import-reports, punch-batch-payloads: Storage Blob Data Contributor (reports and claim-check payloads).
// - the id mapping container, when configured: Storage Blob Data Reader (read only).
// - event-deadletters: Storage Blob Data Contributor, for Event Grid's dead letters (it writes with this identity).
// - app-package: Storage Blob Data Contributor. Flex Consumption's one-deploy writes the uploaded package into the
//   deployment container with the identity configured for it, and the platform reads it from there; that identity is
//   attached to the app, so whatever code runs in the app could use it too. This container is all it can write beyond
//   the pipeline's own: nothing else in the account, and no control-plane right.
// - punch-batches, punch-batches-poison, webjobs-blobtrigger-poison: Storage Queue Data Contributor (the blob trigger
//   writes its poison messages to a queue in the account of its connection).
// - Imports, FailedBatches, the ledger and the call counters: Storage Table Data Contributor, per table.
// The pipeline creates what is missing at start (CreateIfNotExists), which a Contributor role on the very container,
// queue or table allows; the template creates them all first anyway.
//
// The app identity, on the host storage account (AzureWebJobsStorage), at account scope: Storage Blob Data Owner,
// Storage Queue Data Contributor, Storage Table Data Contributor, as the Functions host documents. Narrower is not
// possible here: the host names and creates its own containers (keys, locks, blob receipts), queues and tables at
// run time. That is why the host has an account of its own that holds nothing of ClockSync's: its keys cannot be
// reached through the data connection, and the data cannot be reached through the host's.
//
// Elsewhere: Key Vault Secrets User on the vault (the Feishu app id and secret); Monitoring Metrics Publisher on
// Application Insights (Entra-authenticated telemetry; local auth is off).
//
// Storage Account Contributor is deliberately NOT granted: it is a control-plane role that includes listKeys, and the
// app needs none of it. The blob trigger runs with Source = EventGrid, so the extension neither scans the account nor
// changes its service properties, and the Event Grid subscription is created by this template (blob-subscription.bicep)
// with the deploying principal's rights, not by the app at run time.
//
// The operator (deployerPrincipalId, optional): what `clocksync upload`, `status`, `failed` and `reconcile` use, on
// the same containers, queues and tables (every command first creates what is missing of the pipeline's storage, so
// the queues are in the list), and Key Vault Secrets Officer to set the Feishu secrets.

@description('Name of the storage account holding ClockSync\'s data (ClockSyncStorage).')
param dataStorageAccountName string

@description('Name of the storage account of the Functions host (AzureWebJobsStorage).')
param hostStorageAccountName string

@description('Name of the Key Vault.')
param keyVaultName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Resource id of the app identity (a deployment-time constant, used to name the assignments).')
param identityId string

@description('Principal (object) id of the app identity.')
param identityPrincipalId string

@description('Container the blob trigger watches.')
param triggerContainer string

@description('Containers the pipeline writes and reads besides the trigger\'s (reports, claim-check payloads).')
param pipelineContainers string[]

@description('Containers the pipeline only reads (the optional id mapping).')
param readOnlyContainers string[]

@description('Container Event Grid writes dead letters to with the app identity.')
param deadLetterContainer string

@description('Container Flex Consumption deploys the app package from.')
param deploymentContainer string

@description('Queues the pipeline and the blob trigger use (including the poison queues).')
param pipelineQueues string[]

@description('Queues the operator\'s commands create if missing.')
param operatorQueues string[]

@description('Tables the pipeline uses.')
param pipelineTables string[]

@description('Object id of the person, group or pipeline that operates the app; empty grants nothing.')
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
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var grantDeployer = !empty(deployerPrincipalId)

// `key` names the assignment (a value known when the deployment starts); `principalId` is whom it is for.
var app = {
  key: identityId
  principalId: identityPrincipalId
  principalType: 'ServicePrincipal'
}
var operator = {
  key: deployerPrincipalId
  principalId: deployerPrincipalId
  principalType: deployerPrincipalType
}

var containerGrants = concat(
  [
    union(app, { container: triggerContainer, role: roles.storageBlobDataOwner })
    union(app, { container: deadLetterContainer, role: roles.storageBlobDataContributor })
    union(app, { container: deploymentContainer, role: roles.storageBlobDataContributor })
  ],
  map(pipelineContainers, container => union(app, { container: container, role: roles.storageBlobDataContributor })),
  map(readOnlyContainers, container => union(app, { container: container, role: roles.storageBlobDataReader })),
  grantDeployer
    ? concat(
        map(
          concat([triggerContainer], pipelineContainers),
          container => union(operator, { container: container, role: roles.storageBlobDataContributor })
        ),
        map(readOnlyContainers, container => union(operator, { container: container, role: roles.storageBlobDataReader }))
      )
    : []
)

var queueGrants = concat(
  map(pipelineQueues, queue => union(app, { queue: queue, role: roles.storageQueueDataContributor })),
  grantDeployer ? map(operatorQueues, queue => union(operator, { queue: queue, role: roles.storageQueueDataContributor })) : []
)

var tableGrants = concat(
  map(pipelineTables, table => union(app, { table: table, role: roles.storageTableDataContributor })),
  grantDeployer ? map(pipelineTables, table => union(operator, { table: table, role: roles.storageTableDataContributor })) : []
)

var hostStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource dataAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: dataStorageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }

  resource tableService 'tableServices' existing = {
    name: 'default'
  }
}

resource grantedContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = [
  for grant in containerGrants: {
    parent: dataAccount::blobService
    name: grant.container
  }
]

resource grantedQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' existing = [
  for grant in queueGrants: {
    parent: dataAccount::queueService
    name: grant.queue
  }
]

resource grantedTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' existing = [
  for grant in tableGrants: {
    parent: dataAccount::tableService
    name: grant.table
  }
]

resource hostAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: hostStorageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource containerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, index) in containerGrants: {
    name: guid(grantedContainers[index].id, grant.key, grant.role)
    scope: grantedContainers[index]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
    }
  }
]

resource queueAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, index) in queueGrants: {
    name: guid(grantedQueues[index].id, grant.key, grant.role)
    scope: grantedQueues[index]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
    }
  }
]

resource tableAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, index) in tableGrants: {
    name: guid(grantedTables[index].id, grant.key, grant.role)
    scope: grantedTables[index]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
    }
  }
]

resource hostStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in hostStorageRoles: {
    name: guid(hostAccount.id, identityId, roleId)
    scope: hostAccount
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

resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantDeployer) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
