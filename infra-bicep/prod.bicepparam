// Production. Deploy with CLOCKSYNC_PARAMETERS=infra-bicep/prod.bicepparam infra-bicep/deploy.sh all <rg>
// (README.md, "Deploy to Azure"). After changing it, refresh the committed snapshots: infra-bicep/snapshot.sh
using 'main.bicep'

param environmentName = 'prod'

// 40 is the lowest maximum Flex accepts, and enough: the Feishu rate limit and call budget are app-wide.
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
// One instance of the blob trigger group stays warm, so Event Grid's first delivery after a quiet night (and the
// subscription's validation handshake) never meets a cold start. Billed all the time, as an always-ready instance.
param alwaysReadyBlobInstances = 1
param storageSku = 'Standard_ZRS'
param blobDeleteRetentionInDays = 30
param logRetentionInDays = 90

param feishuBaseUrl = 'https://open.feishu.cn'
param feishuEmployeeType = 'employee_id'
param punchesTimeZone = 'Asia/Shanghai'
param unmappedUsers = 'Reject'

// Never in a committed file: set with az keyvault secret set, or pass from pipeline secrets. Empty keeps the vault.
param feishuAppId = ''
param feishuAppSecret = ''

// The operator group's object id, passed at deployment (deployerPrincipalId=...); a group, so people come and go
// without a redeployment. Empty grants nothing.
param deployerPrincipalId = ''
param deployerPrincipalType = 'Group'

param alertEmailAddresses = []

// Closed network: storage and Key Vault are reached through private endpoints from the app's virtual network. Their
// public endpoints answer only trusted Azure services (Event Grid dead letters) and the ranges below; add the
// operators' public IPs (CIDR) here, or run clocksync from inside the network.
param publicNetworkAccess = 'Disabled'
param allowedIpRanges = []
param networkAddressPrefix = '10.40.0.0/16'
param claimCheckRetentionInDays = 14

// Only deploy.sh's post-deploy events step sets this to true (it needs the code running).
param subscribeBlobEvents = false
