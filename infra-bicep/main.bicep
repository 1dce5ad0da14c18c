// ClockSync: one resource group. Deploy with infra-bicep/deploy.sh (README.md, "Deploy to Azure"):
//   infra-bicep/deploy.sh preflight <rg>   checks az, providers, your roles and the region; changes nothing
//   infra-bicep/deploy.sh all <rg>         infra (subscribeBlobEvents=false), code, then events (=true)
// A plain `az deployment group create --resource-group <rg> --parameters infra-bicep/main.bicepparam` is the infra
// step: the parameter files leave subscribeBlobEvents false, so it never creates the Event Grid subscription before
// the code that answers it exists. Only the post-deploy step (deploy.sh events) sets it to true.

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

@description('40 is the lowest Flex accepts; every instance shares one app-wide Feishu rate limit and call budget')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready instances of the blob trigger group (Flex "blob"): 0 lets Event Grid wake a cold app (it retries a delivery for 24 hours); 1 keeps one instance warm, billed all the time.')
@minValue(0)
@maxValue(4)
param alwaysReadyBlobInstances int = 0

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

@description('Days a claim-check payload (a batch too large for a queue message) is kept after it was written. Queue messages, poison ones included, live 7 days; failed batches keep their own copy of the punches.')
@minValue(8)
@maxValue(365)
param claimCheckRetentionInDays int = 14

@description('Enabled: storage and Key Vault answer on their public endpoints (Entra-only). Disabled: the app reaches them through private endpoints from a virtual network it integrates with; the public endpoints answer only trusted Azure services (Event Grid dead letters) and allowedIpRanges.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('With publicNetworkAccess Disabled: public IPs or CIDR ranges still allowed to the data storage account and the vault (operators running clocksync or setting secrets).')
param allowedIpRanges string[] = []

@description('With publicNetworkAccess Disabled: address space of the virtual network (two /24 subnets are taken from its start).')
param networkAddressPrefix string = '10.40.0.0/16'

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
// ClockSync settings (ClockSync__* app settings; names in docs/settings.md)
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

@description('Most Feishu calls ClockSync may make in a month (China time); 0 = no cap. A free tenant has 10,000 a month for all its apps together: set ClockSync\'s share. At 100 % posting pauses until the month changes or this is raised.')
param feishuMonthlyCallBudget int = 0

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

@description('Name of the custom metric the app emits while posting is paused (Feishu monthly quota or the app\'s call budget exhausted).')
param quotaExhaustedMetricName string = 'ClockSync.QuotaExhausted'

@description('Name of the custom metric the app emits at 90 % of the monthly call budget.')
param callBudgetWarningMetricName string = 'ClockSync.CallBudgetWarning'

@description('Object id of the operator (user, group or pipeline) to grant Key Vault Secrets Officer and the data roles `clocksync` needs (exports, reports, queues, tables); empty grants nothing.')
param deployerPrincipalId string = ''

@description('Kind of principal deployerPrincipalId is. deploy.sh sets it from the signed-in account when not given.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = 'User'

@description('Create the BlobCreated subscription to the blob trigger webhook. Needs the code published and running first (its blobs_extension key): false except in the post-deploy step (deploy.sh events).')
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
  hostStorage: 'stfn${resourceToken}'
  network: 'vnet-clocksync-${resourceToken}'
  endpointPrefix: 'pe-clocksync-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-clocksync-${resourceToken}'
  functionApp: 'func-clocksync-${resourceToken}'
  eventGridTopic: 'evgt-clocksync-${resourceToken}'
  alertPrefix: 'alert-clocksync-${resourceToken}'
}

// Modules that scope role assignments or read keys take names known when the deployment starts (not module outputs),
// so what-if can predict them; they declare their dependencies explicitly instead.
var identityResourceId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', names.identity)

// Storage layout the app binds to (docs/settings.md). The poison queue is created up front so operators (and the alert's
// runbook) find it before the first failure.
var storageConnectionName = 'ClockSyncStorage'
var exportsContainer = 'clock-exports'
var reportsContainer = 'import-reports'
var claimCheckContainer = 'punch-batch-payloads'
var deploymentContainer = 'app-package'
var eventDeadLetterContainer = 'event-deadletters'
var batchQueue = 'punch-batches'
// The blob trigger writes a blob it gave up on to this queue, in the account of its connection (ClockSyncStorage).
var blobTriggerPoisonQueue = 'webjobs-blobtrigger-poison'
var tablesByRole = {
  imports: 'Imports'
  failedBatches: 'FailedBatches'
  ledger: 'ImportLedger'
  callCounts: 'FeishuCalls'
  unknownUsers: 'UnknownUsers'
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

var isPrivate = publicNetworkAccess == 'Disabled'
var dataQueues = [
  batchQueue
  '${batchQueue}-poison'
  blobTriggerPoisonQueue
]

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSku
    deleteRetentionInDays: blobDeleteRetentionInDays
    publicNetworkAccess: publicNetworkAccess
    // Event Grid writes dead letters here with the app identity, as a trusted service.
    allowTrustedServices: true
    allowedIpRanges: allowedIpRanges
    workspaceId: monitoring.outputs.workspaceId
    deleteAfterDays: [
      {
        name: 'delete-claim-check-payloads'
        prefix: '${claimCheckContainer}/'
        days: claimCheckRetentionInDays
      }
    ]
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
    queueNames: dataQueues
    tableNames: map(items(tablesByRole), table => table.value)
  }
}

// The Functions host's own account (AzureWebJobsStorage): keys, locks and receipts the host names and creates itself,
// so its roles cannot be narrower than the account (access.bicep). Nothing of ClockSync's lives here.
module hostStorage 'modules/storage.bicep' = {
  name: 'host-storage'
  params: {
    name: names.hostStorage
    location: location
    tags: allTags
    skuName: storageSku
    deleteRetentionInDays: blobDeleteRetentionInDays
    publicNetworkAccess: publicNetworkAccess
    allowTrustedServices: false
    allowedIpRanges: []
    workspaceId: monitoring.outputs.workspaceId
    deleteAfterDays: []
    containerNames: []
    queueNames: []
    tableNames: []
  }
}

module network 'modules/network.bicep' = if (isPrivate) {
  name: 'network'
  params: {
    name: names.network
    location: location
    tags: allTags
    addressPrefix: networkAddressPrefix
    appSubnetPrefix: cidrSubnet(networkAddressPrefix, 24, 0)
    endpointSubnetPrefix: cidrSubnet(networkAddressPrefix, 24, 1)
  }
}

var privateEndpointTargets = [
  {
    account: names.storage
    service: 'blob'
  }
  {
    account: names.storage
    service: 'queue'
  }
  {
    account: names.storage
    service: 'table'
  }
  {
    account: names.hostStorage
    service: 'blob'
  }
  {
    account: names.hostStorage
    service: 'queue'
  }
  {
    account: names.hostStorage
    service: 'table'
  }
]

module privateEndpoints 'modules/private-endpoints.bicep' = if (isPrivate) {
  name: 'private-endpoints'
  params: {
    location: location
    tags: allTags
    subnetId: network.?outputs.endpointSubnetId ?? ''
    endpoints: concat(
      map(privateEndpointTargets, target => {
        name: '${names.endpointPrefix}-${target.account}-${target.service}'
        resourceType: 'Microsoft.Storage/storageAccounts'
        resourceName: target.account
        groupId: target.service
        zoneName: network.?outputs.zoneNames[target.service] ?? ''
      }),
      [
        {
          name: '${names.endpointPrefix}-${names.keyVault}-vault'
          resourceType: 'Microsoft.KeyVault/vaults'
          resourceName: names.keyVault
          groupId: 'vault'
          zoneName: network.?outputs.zoneNames.vault ?? ''
        }
      ]
    )
  }
  dependsOn: [
    storage
    hostStorage
    keyVault
  ]
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    publicNetworkAccess: publicNetworkAccess
    allowedIpRanges: allowedIpRanges
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
    dataStorageAccountName: names.storage
    hostStorageAccountName: names.hostStorage
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    identityId: identityResourceId
    identityPrincipalId: identity.outputs.principalId
    triggerContainer: exportsContainer
    pipelineContainers: [
      reportsContainer
      claimCheckContainer
    ]
    readOnlyContainers: idMappingContainer
    deadLetterContainer: eventDeadLetterContainer
    deploymentContainer: deploymentContainer
    pipelineQueues: dataQueues
    operatorQueues: [
      batchQueue
      '${batchQueue}-poison'
    ]
    pipelineTables: map(items(tablesByRole), table => table.value)
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
  dependsOn: [
    storage
    hostStorage
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

// The host's own connection also names the account: early in start-up the host can build its blob client before it
// has read the __blobServiceUri settings and fail ("Could not create BlobServiceClient"); with __accountName it finds
// the account either way (the documented workaround). The service URIs stay, for the table client and the extensions.
var hostStorageSettings = union(
  identityStorageConnection(
    'AzureWebJobsStorage',
    identity.outputs.clientId,
    hostStorage.outputs.blobEndpoint,
    hostStorage.outputs.queueEndpoint,
    hostStorage.outputs.tableEndpoint
  ),
  {
    AzureWebJobsStorage__accountName: hostStorage.outputs.name
  }
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
  ClockSync__Storage__UnknownUsersTable: tablesByRole.unknownUsers
  ClockSync__Storage__NotificationsTable: tablesByRole.notifications
  ClockSync__KeyVault__VaultUri: keyVault.outputs.uri
  ClockSync__KeyVault__AppIdSecretName: feishuSecretNames.appId
  ClockSync__KeyVault__AppSecretSecretName: feishuSecretNames.appSecret
  ClockSync__KeyVault__CacheTtl: keyVaultCacheTtl
  ClockSync__Feishu__BaseUrl: feishuBaseUrl
  ClockSync__Feishu__AllowAnyBaseUrl: 'false'
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

// The trigger attributes read flat copies of three names (src/ClockSync/Pipeline/TriggerSettings.cs): the scale
// controller reads raw app settings and cannot resolve a `%A:B:C%` path. Set from the same values as above, so they
// cannot disagree (the app refuses to start if they do).
var triggerSettings = {
  ClockSyncExportsContainer: exportsContainer
  ClockSyncBatchQueue: batchQueue
  ClockSyncRetrySchedule: retrySchedule
}

// Optional: an empty value would read as "a mapping blob with no name", so the setting is left out instead.
var idMappingSettings = empty(idMappingBlob) ? {} : { ClockSync__Punches__IdMappingBlob: idMappingBlob }

// Optional like the mapping blob: without a budget the setting is left out (no cap).
var callBudgetSettings = feishuMonthlyCallBudget == 0 ? {} : { ClockSync__Feishu__MonthlyCallBudget: string(feishuMonthlyCallBudget) }

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
    alwaysReadyBlobInstances: alwaysReadyBlobInstances
    virtualNetworkSubnetId: network.?outputs.appSubnetId ?? ''
    inboundFromEventGridOnly: isPrivate
    appSettings: union(
      hostStorageSettings,
      clockSyncStorageSettings,
      platformSettings,
      clockSyncSettings,
      triggerSettings,
      idMappingSettings,
      callBudgetSettings
    )
  }
  // The host reaches storage, Key Vault and Application Insights on its first start; grant the roles (and, when
  // private, open the endpoints) first.
  dependsOn: [
    access
    privateEndpoints
  ]
}

module blobEvents 'modules/blob-events.bicep' = {
  name: 'blob-events'
  params: {
    topicName: names.eventGridTopic
    location: location
    tags: allTags
    storageAccountName: names.storage
    identityId: identity.outputs.id
  }
  dependsOn: [
    storage
  ]
}

// Deployed only on the post-deploy pass: its listKeys needs the host's blobs_extension key (blob-subscription.bicep).
module blobSubscription 'modules/blob-subscription.bicep' = if (subscribeBlobEvents) {
  name: 'blob-subscription'
  params: {
    topicName: names.eventGridTopic
    storageAccountName: names.storage
    functionAppName: names.functionApp
    functionName: 'IngestClockExport'
    containerName: exportsContainer
    deadLetterContainerName: eventDeadLetterContainer
    identityId: identity.outputs.id
  }
  // The topic must exist; the webhook points at the function app; Event Grid writes dead letters with the identity,
  // which needs its storage role first.
  dependsOn: [
    blobEvents
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
    workspaceId: monitoring.outputs.workspaceId
    parkedBatchesMetricName: parkedBatchesMetricName
    quotaExhaustedMetricName: quotaExhaustedMetricName
    callBudgetWarningMetricName: callBudgetWarningMetricName
    emailAddresses: alertEmailAddresses
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs (used by deploy.sh and the workflow; none is a secret)
// ---------------------------------------------------------------------------------------------------------------

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output hostStorageAccountName string = hostStorage.outputs.name
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.uri
output appInsightsName string = monitoring.outputs.appInsightsName
output identityClientId string = identity.outputs.clientId
output eventGridTopicName string = blobEvents.outputs.topicName
output alertRuleNames string[] = alerts.outputs.ruleNames
