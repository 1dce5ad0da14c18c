// The Event Grid system topic on the storage account: the source of the BlobCreated events the blob trigger's Event
// Grid source receives. It exists from the first deployment on; the subscription that delivers its events to the app
// is a module of its own (blob-subscription.bicep), deployed only on the post-deploy pass.

@description('Name of the Event Grid system topic.')
param topicName string

@description('Azure region (a system topic lives in the region of its source).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the storage account whose blob events are published.')
param storageAccountName string

@description('Resource id of the user-assigned identity Event Grid writes dead letters with.')
param identityId string

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
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

output topicName string = topic.name
