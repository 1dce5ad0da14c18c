// ClockSync: one resource group, one command.
//   az deployment group create --resource-group <rg> --parameters infra-bicep/main.bicepparam
// See README-deploy-section.md (README.md, "Deploy to Azure") for the full sequence, including the post-deploy step
// that subscribes the blob trigger to Event Grid once the code is published.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------------------------

@description('Short environment name (dev, test, prod); part of every resource name and tag.')
@minLength(1)
@maxLength(12)
param environmentName string

@description('Azure region of every resource. Must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Extra tags merged into the standard ones on every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------------------
// Hosting
// ---------------------------------------------------------------------------------------------------------------

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound of Flex Consumption instances. Feishu allows 50 calls a second per app, so more instances only queue up behind the rate limiter.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days a deleted export, report or container can still be restored.')
@minValue(1)
@maxValue(365)
param blobDeleteRetentionInDays int = 14

@description('Days a deleted vault or secret stays recoverable (purge protection is always on). Fixed once the vault exists.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// ---------------------------------------------------------------------------------------------------------------
// Feishu secrets: secure parameters only. Leave empty to keep what is in the vault (set with az keyvault secret set).
// ---------------------------------------------------------------------------------------------------------------

@description('Feishu/Lark app id. Empty: the secret is not deployed (an existing value is kept).')
@secure()
param feishuAppId string = ''

@description('Feishu/Lark app secret. Empty: the secret is not deployed (an existing value is kept).')
@secure()
param feishuAppSecret string = ''

// ---------------------------------------------------------------------------------------------------------------
// ClockSync settings (ClockSync__* app settings; names in SETTINGS.md)
// ---------------------------------------------------------------------------------------------------------------

@description('Feishu (China) or Lark (international) Open API.')
@allowed([
  'https://open.feishu.cn'
  'https://open.larksuite.com'
])
param feishuBaseUrl string = 'https://open.feishu.cn'

@description('Which Feishu user id the clock keys map to.')
@allowed([
  'employee_id'
  'employee_no'
])
param feishuEmployeeType string = 'employee_id'

@description('Calls a second to batch_create (Feishu allows 50).')
@minValue(1)
@maxValue(50)
param feishuRequestsPerSecond int = 50

@description('IANA time zone of the clock exports (they carry local time without an offset).')
param punchesTimeZone string = 'Asia/Shanghai'

@description('What to do with punches whose clock key has no Feishu id mapping.')
@allowed([
  'Reject'
  'PassThrough'
])
param unmappedUsers string = 'Reject'

@description('Optional blob path (container/name) of the clock key to Feishu id CSV; its container is created.')
param idMappingBlob string = ''

@description('NCRONTAB schedule of RetryFailedBatches.')
param retrySchedule string = '0 */5 * * * *'

@description('Attempts before a transient failure is parked.')
@minValue(1)
@maxValue(100)
param retryMaxAttempts int = 8

@description('First retry delay (TimeSpan, hh:mm:ss).')
param retryBaseDelay string = '00:01:00'

@description('Longest retry delay (TimeSpan, hh:mm:ss).')
param retryMaxDelay string = '01:00:00'

@description('Feishu chat (or user, per notifyReceiveIdType) that gets a card per settled import; empty: no cards.')
param notifyChatId string = ''

@description('What notifyChatId is.')
@allowed([
  'chat_id'
  'open_id'
  'user_id'
  'email'
])
param notifyReceiveIdType string = 'chat_id'

@description('Shortest time between two parked-batch digest cards (TimeSpan, hh:mm:ss).')
param notifyParkedDigestInterval string = '00:30:00'

@description('How long Key Vault secret values are cached (TimeSpan, hh:mm:ss).')
param keyVaultCacheTtl string = '00:10:00'

// ---------------------------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------------------------

@description('E-mail addresses alerted on parked batches, poison messages and function failures; empty: no action group.')
param alertEmailAddresses string[] = []

@description('Name of the custom metric the app emits for each parked batch.')
param parkedBatchesMetricName string = 'ClockSync.BatchesParked'

@description('Object id of the deploying user/pipeline to grant Key Vault Secrets Officer and Storage Blob Data Contributor; empty grants nothing.')
param deployerPrincipalId string = ''

@description('Kind of principal deployerPrincipalId is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = 'User'

@description('Subscribe the blob trigger to BlobCreated events. Needs the code published first: false on the first deployment, true afterwards (the post-deploy step).')
param subscribeBlobEvents bool = false

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(resourceGroup().id, environmentName))
var allTags = union(tags, {
  application: 'ClockSync'
  environment: environmentName
})

var names = {
  identity: 'id-clocksync-${resourceToken}'
  workspace: 'log-clocksync-${resourceToken}'
  appInsights: 'appi-clocksync-${resourceToken}'
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-clocksync-${resourceToken}'
  functionApp: 'func-clocksync-${resourceToken}'
  eventGridTopic: 'evgt-clocksync-${resourceToken}'
  alertPrefix: 'alert-clocksync-${resourceToken}'
}

// Modules that scope role assignments or read keys take names known when the deployment starts (not module outputs),
// so what-if can predict them; they declare their dependencies explicitly instead.
var identityResourceId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', names.identity)

// Storage layout the app binds to (SETTINGS.md). The poison queue is created up front so operators (and the alert's
// runbook) find it before the first failure.
var storageConnectionName = 'ClockSyncStorage'
var exportsContainer = 'clock-exports'
var reportsContainer = 'import-reports'
var claimCheckContainer = 'punch-batch-payloads'
var deploymentContainer = 'app-package'
var eventDeadLetterContainer = 'event-deadletters'
var batchQueue = 'punch-batches'
var tablesByRole = {
  imports: 'Imports'
  failedBatches: 'FailedBatches'
  ledger: 'ImportLedger'
  callCounts: 'FeishuCalls'
  notifications: 'Notifications'
}
var idMappingContainer = empty(idMappingBlob) ? [] : [split(idMappingBlob, '/')[0]]

var feishuSecretNames = {
  appId: 'feishu-app-id'
  appSecret: 'feishu-app-secret'
}

// ---------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSku
    deleteRetentionInDays: blobDeleteRetentionInDays
    containerNames: concat(
      [
        exportsContainer
        reportsContainer
        claimCheckContainer
        deploymentContainer
        eventDeadLetterContainer
      ],
      idMappingContainer
    )
    queueNames: [
      batchQueue
      '${batchQueue}-poison'
    ]
    tableNames: map(items(tablesByRole), table => table.value)
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    workspaceId: monitoring.outputs.workspaceId
    appIdSecretName: feishuSecretNames.appId
    appSecretSecretName: feishuSecretNames.appSecret
    appId: feishuAppId
    appSecret: feishuAppSecret
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  params: {
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    identityId: identityResourceId
    identityPrincipalId: identity.outputs.principalId
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
  dependsOn: [
    storage
    keyVault
    monitoring
  ]
}

// An identity-based storage connection: the Functions host and the storage extensions build their clients from
// <prefix>__*Uri with a managed identity token, so no account key or connection string is ever stored.
func identityStorageConnection(prefix string, clientId string, blobUri string, queueUri string, tableUri string) object => {
  '${prefix}__credential': 'managedidentity'
  '${prefix}__clientId': clientId
  '${prefix}__blobServiceUri': blobUri
  '${prefix}__queueServiceUri': queueUri
  '${prefix}__tableServiceUri': tableUri
}

var hostStorageSettings = identityStorageConnection(
  'AzureWebJobsStorage',
  identity.outputs.clientId,
  storage.outputs.blobEndpoint,
  storage.outputs.queueEndpoint,
  storage.outputs.tableEndpoint
)

var clockSyncStorageSettings = identityStorageConnection(
  storageConnectionName,
  identity.outputs.clientId,
  storage.outputs.blobEndpoint,
  storage.outputs.queueEndpoint,
  storage.outputs.tableEndpoint
)

var platformSettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  // Entra-authenticated ingestion with the app identity (the component has local auth disabled).
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.outputs.clientId}'
  // DefaultAzureCredential picks the user-assigned identity from this.
  AZURE_CLIENT_ID: identity.outputs.clientId
}

var clockSyncSettings = {
  ClockSync__Storage__Connection: storageConnectionName
  ClockSync__Storage__ExportsContainer: exportsContainer
  ClockSync__Storage__ReportsContainer: reportsContainer
  ClockSync__Storage__ClaimCheckContainer: claimCheckContainer
  ClockSync__Storage__BatchQueue: batchQueue
  ClockSync__Storage__ImportsTable: tablesByRole.imports
  ClockSync__Storage__FailedBatchesTable: tablesByRole.failedBatches
  ClockSync__Storage__LedgerTable: tablesByRole.ledger
  ClockSync__Storage__CallCountsTable: tablesByRole.callCounts
  ClockSync__Storage__NotificationsTable: tablesByRole.notifications
  ClockSync__KeyVault__VaultUri: keyVault.outputs.uri
  ClockSync__KeyVault__AppIdSecretName: feishuSecretNames.appId
  ClockSync__KeyVault__AppSecretSecretName: feishuSecretNames.appSecret
  ClockSync__KeyVault__CacheTtl: keyVaultCacheTtl
  ClockSync__Feishu__BaseUrl: feishuBaseUrl
  ClockSync__Feishu__EmployeeType: feishuEmployeeType
  ClockSync__Feishu__RequestsPerSecond: string(feishuRequestsPerSecond)
  ClockSync__Punches__TimeZone: punchesTimeZone
  ClockSync__Punches__UnmappedUsers: unmappedUsers
  ClockSync__Retry__Schedule: retrySchedule
  ClockSync__Retry__MaxAttempts: string(retryMaxAttempts)
  ClockSync__Retry__BaseDelay: retryBaseDelay
  ClockSync__Retry__MaxDelay: retryMaxDelay
  ClockSync__Notify__ChatId: notifyChatId
  ClockSync__Notify__ReceiveIdType: notifyReceiveIdType
  ClockSync__Notify__ParkedDigestInterval: notifyParkedDigestInterval
}

// Optional: an empty value would read as "a mapping blob with no name", so the setting is left out instead.
var idMappingSettings = empty(idMappingBlob) ? {} : { ClockSync__Punches__IdMappingBlob: idMappingBlob }

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: allTags
    identityId: identity.outputs.id
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainer}'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: union(
      hostStorageSettings,
      clockSyncStorageSettings,
      platformSettings,
      clockSyncSettings,
      idMappingSettings
    )
  }
  // The host reaches storage, Key Vault and Application Insights on its first start; grant the roles first.
  dependsOn: [
    access
  ]
}

module blobEvents 'modules/blob-events.bicep' = {
  name: 'blob-events'
  params: {
    topicName: names.eventGridTopic
    location: location
    tags: allTags
    storageAccountName: names.storage
    functionAppName: names.functionApp
    functionName: 'IngestClockExport'
    containerName: exportsContainer
    deadLetterContainerName: eventDeadLetterContainer
    identityId: identity.outputs.id
    subscribeBlobEvents: subscribeBlobEvents
  }
  // The webhook points at the function app; Event Grid writes dead letters with the identity, which needs its storage
  // role first.
  dependsOn: [
    functionApp
    access
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: names.alertPrefix
    location: location
    tags: allTags
    appInsightsId: monitoring.outputs.appInsightsId
    parkedBatchesMetricName: parkedBatchesMetricName
    emailAddresses: alertEmailAddresses
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs (used by deploy.sh and the workflow; none is a secret)
// ---------------------------------------------------------------------------------------------------------------

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.uri
output appInsightsName string = monitoring.outputs.appInsightsName
output identityClientId string = identity.outputs.clientId
output eventGridTopicName string = blobEvents.outputs.topicName
output alertRuleNames string[] = alerts.outputs.ruleNames
