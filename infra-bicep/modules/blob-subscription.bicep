// The subscription that sends BlobCreated events of the clock-exports container to the Functions blob extension
// webhook of the blob trigger (Source = EventGrid).
//
// Why a module of its own: the webhook URL carries the host's blobs_extension system key, read here with listKeys. The
// host creates that key only once the app code (with its Event Grid blob trigger) runs, so on the first pass it does
// not exist. A list* call in a resource switched off with `if` is still evaluated by ARM, and the deployment would
// fail on the missing key; a module switched off with `if` is never deployed, so nothing inside it is evaluated.
// main.bicep deploys this module only when subscribeBlobEvents is true (deploy.sh's post-deploy `events` step). The
// key is resolved by ARM at deployment time and never leaves Azure (no output, no parameter).

@description('Name of the existing Event Grid system topic on the storage account.')
param topicName string

@description('Name of the storage account that receives dead letters.')
param storageAccountName string

@description('Name of the function app hosting the blob trigger.')
param functionAppName string

@description('Name of the blob-triggered function.')
param functionName string

@description('Container the blob trigger watches.')
param containerName string

@description('Container that receives events Event Grid gave up delivering, so no export is silently skipped.')
param deadLetterContainerName string

@description('Resource id of the user-assigned identity Event Grid writes dead letters with.')
param identityId string

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: topicName
}

resource exportsCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: '${toLower(functionName)}-blob-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${listKeys('${functionApp.id}/host/default', functionApp.apiVersion).systemKeys.blobs_extension}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/'
      enableAdvancedFilteringOnArrays: true
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: identityId
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storageAccount.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

