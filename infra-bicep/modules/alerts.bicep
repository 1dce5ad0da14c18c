// Three log search alerts on the Application Insights component, evaluated every 5 minutes over the last 15.
// Log alerts (not metric alerts) because:
// - parked batches are a custom metric the app emits; a metric alert on it fails to deploy until the metric has been
//   emitted once, a log query on customMetrics does not;
// - the storage queue metrics are per account, not per queue, so "poison queue not empty" cannot be a metric alert.
//   The Functions host logs a warning ("Message has reached MaxDequeueCount of N. Moving message to queue
//   '<queue>-poison'.") each time it moves a message to a poison queue; the alert fires on that, which covers both
//   punch-batches-poison and the blob trigger's webjobs-blobtrigger-poison.
// - function failures are failed invocations (requests with success == false), per function.

@description('Prefix of the alert rule names.')
param namePrefix string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource id of the Application Insights component the queries run against.')
param appInsightsId string

@description('Name of the custom metric the app emits when it parks a batch.')
param parkedBatchesMetricName string

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
    query: 'customMetrics\n| where name == "${parkedBatchesMetricName}"\n| summarize Parked = sum(valueSum)'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Parked'
    dimensions: []
  }
  {
    name: 'poison-messages'
    displayName: 'ClockSync: message moved to a poison queue'
    description: 'A queue message or blob failed every delivery attempt and was moved to punch-batches-poison or webjobs-blobtrigger-poison. It stays there until an operator requeues it.'
    severity: 1
    query: 'traces\n| where message has "MaxDequeueCount" and message has "-poison"\n| summarize Moved = count()'
    timeAggregation: 'Total'
    metricMeasureColumn: 'Moved'
    dimensions: []
  }
  {
    name: 'function-failures'
    displayName: 'ClockSync: function invocations failed'
    description: 'IngestClockExport, PostPunchBatch or RetryFailedBatches threw. Queue and blob triggers retry, so a single failure is a warning; repeated ones lead to poison messages.'
    severity: 2
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
        appInsightsId
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
