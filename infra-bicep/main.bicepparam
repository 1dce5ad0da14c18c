// Dev environment. Deploy with infra-bicep/deploy.sh (see README.md, "Deploy to Azure").
// After changing this file or anything under infra-bicep/, refresh the committed snapshots: infra-bicep/snapshot.sh
using 'main.bicep'

param environmentName = 'dev'

// Flex Consumption refuses a maximum below 40 (InvalidMaximumInstanceCount). The Feishu rate limit and call budget are
// app-wide, so a higher maximum would not post faster.
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
// No warm instance in dev: Event Grid retries a delivery that a cold start missed (for 24 hours, then dead-letters),
// and deploy.sh wakes the host and retries before it creates the subscription. prod.bicepparam keeps one ready.
param alwaysReadyBlobInstances = 0
param storageSku = 'Standard_LRS'
param logRetentionInDays = 30

param feishuBaseUrl = 'https://open.feishu.cn'
param feishuEmployeeType = 'employee_id'
param punchesTimeZone = 'Asia/Shanghai'
param unmappedUsers = 'Reject'

// The Feishu secrets are not set here (a .bicepparam is committed): set them once with az keyvault secret set, or
// pass them from pipeline secrets (feishuAppId=... feishuAppSecret=...). Empty leaves the vault as it is.
param feishuAppId = ''
param feishuAppSecret = ''

// The operator's object id (az ad signed-in-user show --query id -o tsv), to set the secrets and run `clocksync`
// against this environment; empty grants nothing. Its type must match: User, Group or ServicePrincipal (a pipeline).
// deploy.sh fills deployerPrincipalType from the signed-in account when you pass only deployerPrincipalId.
param deployerPrincipalId = ''
param deployerPrincipalType = 'User'

param alertEmailAddresses = []

// The safe default: no Event Grid subscription. Creating it needs the code running (its webhook key), so only the
// post-deploy step sets it: `deploy.sh events <rg>` deploys again with subscribeBlobEvents=true. A plain
// `az deployment group create` with this file therefore never fails on a missing key.
param subscribeBlobEvents = false
