// Dev environment. Deploy with infra-bicep/deploy.sh (see README.md, "Deploy to Azure").
// After changing this file or anything under infra-bicep/, refresh the committed snapshot: infra-bicep/snapshot.sh
using 'main.bicep'

param environmentName = 'dev'

// Small and cheap: dev never needs more than a couple of instances.
param instanceMemoryMB = 2048
param maximumInstanceCount = 10
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

// Your object id (az ad signed-in-user show --query id -o tsv) to be allowed to set the secrets and upload exports.
param deployerPrincipalId = ''

param alertEmailAddresses = []

// The environment as it is once the code is published: the BlobCreated subscription exists. deploy.sh overrides this
// with false for the first pass on a new environment (the blobs_extension key exists only after the code runs).
param subscribeBlobEvents = true
