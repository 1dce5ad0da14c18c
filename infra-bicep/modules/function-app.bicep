// Flex Consumption (FC1, Linux) plan and the function app. The runtime (dotnet-isolated 10.0), the deployment
// container and the scale limits live in functionAppConfig; FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION are not used on Flex Consumption.

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (globally unique).')
param appName string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Blob container URL the platform deploys the app package from (https://<account>.blob.../<container>).')
param deploymentContainerUrl string

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances each function group scales out to (Flex counts it per group, not per app).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances of the blob trigger group ("blob"); 0 for none.')
@minValue(0)
param alwaysReadyBlobInstances int

@description('Subnet the app integrates with for outbound traffic (private endpoints of storage and vault); empty for none.')
param virtualNetworkSubnetId string

@description('Accept inbound calls to the app only from Event Grid (the blob trigger webhook). The SCM site, used for deployment with Entra sign-in, is not restricted.')
param inboundFromEventGridOnly bool

@description('App settings, name to value. Only identity-based connections: no keys, no connection strings to storage.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Linux.
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Inbound stays public: Event Grid delivers to the webhook over the internet. With the network closed it is the
    // only caller allowed (below).
    publicNetworkAccess: 'Enabled'
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ipSecurityRestrictionsDefaultAction: inboundFromEventGridOnly ? 'Deny' : 'Allow'
      ipSecurityRestrictions: inboundFromEventGridOnly
        ? [
            {
              name: 'event-grid'
              action: 'Allow'
              tag: 'ServiceTag'
              ipAddress: 'AzureEventGrid'
              priority: 100
            }
          ]
        : []
      scmIpSecurityRestrictionsUseMain: false
      appSettings: map(items(appSettings), setting => { name: setting.key, value: setting.value })
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // Flex groups Event Grid blob triggers as "blob". An instance kept ready there answers Event Grid's first
        // delivery (and the subscription's validation handshake) without a cold start.
        alwaysReady: alwaysReadyBlobInstances > 0
          ? [
              {
                name: 'blob'
                instanceCount: alwaysReadyBlobInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Publishing uses Microsoft Entra (az functionapp deployment / azure/login OIDC); no FTP or Kudu basic-auth
// credentials exist that could leak.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = app.id
output name string = app.name
// Flex Consumption apps may get a unique default host name (<app>-<hash>.<region>-01.azurewebsites.net), so callers
// use this output instead of building "<app>.azurewebsites.net".
output defaultHostName string = app.properties.defaultHostName
