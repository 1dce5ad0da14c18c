// The one user-assigned identity the function app, its host storage, the deployment container, Application Insights
// ingestion and Event Grid dead-lettering all authenticate with. User-assigned (not system-assigned) so that the role
// assignments exist before the app does and survive re-creating the app.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
