// A storage account: main.bicep deploys two, one for ClockSync's data (ClockSyncStorage: exports, reports, batches,
// tables, the deployment package) and one for the Functions host (AzureWebJobsStorage), so that roles on the data can
// be scoped per container, queue and table while the host keeps the account-wide roles it needs (access.bicep). Keys
// are disabled, so every caller must present an Entra token; nothing can be made public.

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob containers to create.')
param containerNames string[]

@description('Queues to create (including the poison queue, so it exists before the first failure).')
param queueNames string[]

@description('Tables to create.')
param tableNames string[]

@description('Days a deleted blob or container can be restored. Exports are the source of truth for punches.')
@minValue(1)
@maxValue(365)
param deleteRetentionInDays int

@description('Enabled: reachable over the public endpoint (still Entra-only). Disabled: private endpoints only, except what the next two parameters let through.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('With public access Disabled: let trusted Azure services through the firewall (Event Grid writes dead letters with the app identity).')
param allowTrustedServices bool

@description('With public access Disabled: public IP addresses or CIDR ranges still allowed (operators running clocksync).')
param allowedIpRanges string[]

@description('Log Analytics workspace that receives the queue write log (the poison-queue alert reads it).')
param workspaceId string

@description('Lifecycle rules: blobs under `prefix` (container/path) are deleted `days` days after their last change.')
param deleteAfterDays {
  name: string
  prefix: string
  days: int
}[]

var isOpen = publicNetworkAccess == 'Enabled'

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Open: Flex Consumption without a virtual network reaches storage over its public endpoint; access is still
    // gated by Entra ID and RBAC because shared keys are off. Closed: the app reaches it through private endpoints
    // from its virtual network; the public endpoint answers only trusted services and the listed ranges, if any.
    publicNetworkAccess: isOpen || allowTrustedServices || !empty(allowedIpRanges) ? 'Enabled' : 'Disabled'
    networkAcls: {
      bypass: isOpen || allowTrustedServices ? 'AzureServices' : 'None'
      defaultAction: isOpen ? 'Allow' : 'Deny'
      ipRules: isOpen ? [] : map(allowedIpRanges, range => { value: range, action: 'Allow' })
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: false
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        file: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionInDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionInDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = {
  parent: account
  name: 'default'
}

// Every queue write, unsampled, in Log Analytics: a message moved to a poison queue is a PutMessage on a queue whose
// name ends in -poison, which the poison alert counts (queue metrics are per account, not per queue, and the host's
// own warning goes to Application Insights traces, which host.json samples).
resource queueWriteLog 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'queue-writes-to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
    ]
  }
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = if (!empty(deleteAfterDays)) {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        for rule in deleteAfterDays: {
          name: rule.name
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                rule.prefix
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: rule.days
                }
              }
            }
          }
        }
      ]
    }
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
