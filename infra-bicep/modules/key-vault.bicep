// Key Vault for the two Feishu secrets. RBAC mode (no access policies), soft delete and purge protection, so a
// deleted vault or secret can be recovered and cannot be purged early. Every data-plane access is audited to Log
// Analytics.

@description('Name of the vault (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Days a deleted vault or secret stays recoverable. Cannot be changed after the vault is created.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Enabled: reachable over the public endpoint (still Entra-only). Disabled: through its private endpoint, plus the listed ranges.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('With public access Disabled: public IP addresses or CIDR ranges still allowed (operators setting the secrets).')
param allowedIpRanges string[]

@description('Log Analytics workspace that receives the vault audit log.')
param workspaceId string

@description('Name of the secret holding the Feishu app id.')
param appIdSecretName string

@description('Name of the secret holding the Feishu app secret.')
param appSecretSecretName string

@description('Feishu app id. Empty: the secret is not deployed, so a value set with `az keyvault secret set` is kept.')
@secure()
param appId string

@description('Feishu app secret. Empty: the secret is not deployed, so a value set with `az keyvault secret set` is kept.')
@secure()
param appSecret string

var isOpen = publicNetworkAccess == 'Enabled'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: isOpen || !empty(allowedIpRanges) ? 'Enabled' : 'Disabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: isOpen ? 'Allow' : 'Deny'
      ipRules: isOpen ? [] : map(allowedIpRanges, range => { value: range })
    }
  }
}

// A secret resource with an empty value would overwrite the operator's value on every redeployment, so an empty
// parameter means "leave the secret alone", not "create it empty".
resource appIdSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(appId)) {
  parent: vault
  name: appIdSecretName
  properties: {
    value: appId
    contentType: 'text/plain'
  }
}

resource appSecretSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(appSecret)) {
  parent: vault
  name: appSecretSecretName
  properties: {
    value: appSecret
    contentType: 'text/plain'
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
