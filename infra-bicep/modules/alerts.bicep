// Log search alerts, evaluated every 5 minutes over the last 15. Log alerts (not metric alerts) because:
// - parked batches, an exhausted Feishu quota or call budget, and the budget warning are custom metrics the app
//   emits; a metric alert on a custom metric fails to deploy until the metric has been emitted once, a log query on
//   customMetrics does not;
// - the storage queue metrics are per account, not per queue, so "a message reached a poison queue" cannot be a
//   metric alert. Nor can it rest on the host's "Moving message to queue '<queue>-poison'" warning: that is a trace,
//   and host.json samples traces. The storage accounts send every queue write to the workspace instead
//   (storage.bicep), unsampled, and the alert counts writes to a queue whose name ends in -poison: punch-batches-poison
//   and the blob trigger's webjobs-blobtrigger-poison alike.
// - function failures are failed invocations (requests with success == false, never sampled: host.json excludes
//   Request), per function.

@description('Prefix of the alert rule names.')
param namePrefix string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource id of the Application Insights component the telemetry queries run against.')
param appInsightsId string

@description('Resource id of the Log Analytics workspace the storage queue write log goes to.')
param workspaceId string

@description('Name of the custom metric the app emits when it parks a batch.')
param parkedBatchesMetricName string

@description('Name of the custom metric the app emits while posting is paused: the Feishu monthly quota or the app\'s call budget is exhausted.')
param quotaExhaustedMetricName string

@description('Name of the custom metric the app emits once 90 % of the monthly call budget is used.')
param callBudgetWarningMetricName string

@description('E-mail addresses notified when an alert fires; empty creates no action group.')
param emailAddresses string[]

var hasReceivers = !empty(emailAddresses)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (hasReceivers) {
  name: '${namePrefix}-operators'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'clocksync'
    enabled: true
    emailReceivers: [
      for (address, index) in emailAddresses: {
        name: 'operator-${index}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

var alertRules = [
  {
    name: 'batches-parked'
    displayName: 'ClockSync: batches parked'
    description: 'Feishu rejected a batch for a reason retrying cannot fix (unknown user, invalid parameter, no permission) or it ran out of attempts. Punches in it are not in Feishu until an operator acts.'
    severity: 2
    scope: appInsightsId
    query: 'customMetrics\n| where name == "${parkedBatchesMetricName}"\n| summarize Parked = sum(valueSum)'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Parked'
    dimensions: []
  }
  {
    name: 'quota-exhausted'
    displayName: 'ClockSync: Feishu quota or call budget exhausted, posting paused'
    description: 'The Feishu monthly call quota or the app\'s own monthly call budget is used up, so batches are not posted; they wait and are posted once the quota resets or the budget is raised. Nothing is lost, but punches are not reaching Feishu.'
    severity: 1
    scope: appInsightsId
    query: 'customMetrics\n| where name == "${quotaExhaustedMetricName}"\n| summarize Exhausted = sum(valueSum)'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Exhausted'
    dimensions: []
  }
  {
    name: 'call-budget-warning'
    displayName: 'ClockSync: 90 % of the monthly Feishu call budget used'
    description: 'The app has used 90 % of its monthly Feishu call budget. When it is used up, posting pauses until the month ends or the budget is raised.'
    severity: 2
    scope: appInsightsId
    query: 'customMetrics\n| where name == "${callBudgetWarningMetricName}"\n| summarize Warnings = sum(valueSum)'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Warnings'
    dimensions: []
  }
  {
    name: 'poison-messages'
    displayName: 'ClockSync: message moved to a poison queue'
    description: 'A queue message or blob failed every delivery attempt and was moved to punch-batches-poison or webjobs-blobtrigger-poison. It stays there until an operator requeues it.'
    severity: 1
    scope: workspaceId
    query: 'StorageQueueLogs\n| where OperationName == "PutMessage" and StatusText == "Success"\n| where Uri contains "-poison/messages"\n| summarize Moved = count()'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Moved'
    dimensions: []
  }
  {
    name: 'function-failures'
    displayName: 'ClockSync: function invocations failed'
    description: 'IngestClockExport, PostPunchBatch or RetryFailedBatches threw. Queue and blob triggers retry, so a single failure is a warning; repeated ones lead to poison messages.'
    severity: 2
    scope: appInsightsId
    query: 'requests\n| where success == false\n| summarize Failed = count() by FunctionName = operation_Name'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Failed'
    // One alert per failing function, so the notification names it.
    dimensions: [
      {
        name: 'FunctionName'
        operator: 'Include'
        values: [
          '*'
        ]
      }
    ]
  }
]

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in alertRules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        rule.scope
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: rule.timeAggregation
            metricMeasureColumn: rule.metricMeasureColumn
            dimensions: rule.dimensions
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: hasReceivers ? [actionGroup.id] : []
      }
    }
  }
]

output ruleNames string[] = [for (rule, index) in alertRules: rules[index].name]
