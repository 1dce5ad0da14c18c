// Event Grid delivery for the blob trigger's Event Grid source: a system topic on the storage account and a
// subscription that sends BlobCreated events for the clock-exports container to the Functions blob extension webhook.
//
// The webhook needs the host's blobs_extension system key, which the host only creates once the app code (with its
// Event Grid blob trigger) has been deployed and started. So the subscription is deployed only when
// subscribeBlobEvents is true: deploy.sh (and the workflow) first deploy with it false, publish the code, then deploy
// again with it true (the post-deploy step). The key is read with listKeys at deployment time and never leaves Azure.

@description('Name of the Event Grid system topic.')
param topicName string

@description('Azure region (a system topic lives in the region of its source).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the storage account whose blob events are published.')
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

@description('Create the subscription. Needs the app code deployed first (see above).')
param subscribeBlobEvents bool

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource exportsCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (subscribeBlobEvents) {
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

output topicName string = topic.name
