using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>Entra-only Application Insights on Log Analytics, and the operator alerts.</summary>
public sealed class MonitoringTests
{
    private static readonly DeploymentSnapshot Snapshot = DeploymentSnapshot.Committed;
    private static readonly PredictedResource AppInsights = Snapshot.Single(ResourceTypes.AppInsights);

    [Fact]
    public void Application_insights_accepts_only_entra_authenticated_telemetry() =>
        Assert.True(AppInsights.Flag("properties.DisableLocalAuth"));

    [Fact]
    public void Application_insights_stores_its_data_in_the_workspace() =>
        Assert.Equal(Snapshot.Single(ResourceTypes.Workspace).Id, AppInsights.Text("properties.WorkspaceResourceId"));

    [Theory]
    [InlineData("batches-parked", "customMetrics", "ClockSync.BatchesParked")]
    [InlineData("quota-exhausted", "customMetrics", "name == \"ClockSync.QuotaExhausted\"")]
    [InlineData("call-budget-warning", "customMetrics", "name == \"ClockSync.CallBudgetWarning\"")]
    [InlineData("function-failures", "requests", "success == false")]
    public void Alert_queries_application_insights_for_its_signal(string alert, string table, string signal)
    {
        var rule = Alert(alert);

        Assert.Equal("LogAlert", rule.Text("kind"));
        Assert.True(rule.Flag("properties.enabled"));
        Assert.Equal([AppInsights.Id], rule.Texts("properties.scopes"));
        var query = Criterion(rule, "query");
        Assert.StartsWith(table + "\n", query, StringComparison.Ordinal);
        Assert.Contains(signal, query, StringComparison.Ordinal);
    }

    [Fact]
    public void Poison_alert_counts_unsampled_queue_writes_to_any_poison_queue()
    {
        // Not the host's warning in traces: host.json samples traces. Every queue write goes to the workspace instead.
        var rule = Alert("poison-messages");

        Assert.Equal([Snapshot.Single(ResourceTypes.Workspace).Id], rule.Texts("properties.scopes"));
        var query = Criterion(rule, "query");
        Assert.StartsWith("StorageQueueLogs\n", query, StringComparison.Ordinal);
        Assert.Contains("OperationName == \"PutMessage\"", query, StringComparison.Ordinal);
        Assert.Contains("\"-poison/messages\"", query, StringComparison.Ordinal);
        Assert.DoesNotContain("traces", query, StringComparison.Ordinal);
        Assert.Equal(1, rule.Number("properties.severity"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_queue_write_of_both_accounts_reaches_the_workspace(bool hostAccount)
    {
        // Both poison queues live in the data account; the host account is logged too, should the host ever use one there.
        var account = hostAccount ? Snapshot.HostStorage.Name : Snapshot.DataStorage.Name;
        var queueService = Snapshot.OfType(ResourceTypes.QueueService).Single(service => service.Name == account + "/default");
        var setting = Snapshot.OfType(ResourceTypes.DiagnosticSetting)
            .Single(candidate => candidate.Id.StartsWith(queueService.Id + "/providers/", StringComparison.Ordinal));

        Assert.Equal(Snapshot.Single(ResourceTypes.Workspace).Id, setting.Text("properties.workspaceId"));
        var categories = setting.Get("properties.logs").EnumerateArray()
            .Where(log => log.GetProperty("enabled").GetBoolean())
            .Select(log => log.GetProperty("category").GetString());
        Assert.Contains("StorageWrite", categories);
    }

    [Theory]
    [InlineData("quota-exhausted", 1)]
    [InlineData("call-budget-warning", 2)]
    [InlineData("poison-messages", 1)]
    [InlineData("batches-parked", 2)]
    public void Alert_has_its_severity(string alert, int severity) =>
        // 1 is Error (posting paused, a message given up on), 2 Warning (something to act on before it becomes one).
        Assert.Equal(severity, Alert(alert).Number("properties.severity"));

    [Theory]
    [InlineData("batches-parked")]
    [InlineData("quota-exhausted")]
    [InlineData("call-budget-warning")]
    [InlineData("poison-messages")]
    [InlineData("function-failures")]
    public void Alert_fires_on_the_first_occurrence_and_resolves_itself(string alert)
    {
        var rule = Alert(alert);

        Assert.Equal("GreaterThan", Criterion(rule, "operator"));
        Assert.Equal(0, rule.Get("properties.criteria.allOf").EnumerateArray().Single().GetProperty("threshold").GetInt32());
        Assert.Equal("PT5M", rule.Text("properties.evaluationFrequency"));
        Assert.True(rule.Flag("properties.autoMitigate"));
    }

    [Fact]
    public void Exactly_the_five_operator_alerts_exist()
    {
        var names = Snapshot.OfType(ResourceTypes.LogAlert).Select(rule => rule.Name).ToList();

        Assert.Equal(5, names.Count);
        Assert.Single(names, name => name.EndsWith("-quota-exhausted", StringComparison.Ordinal));
        Assert.Single(names, name => name.EndsWith("-call-budget-warning", StringComparison.Ordinal));
        Assert.Single(names, name => name.EndsWith("-batches-parked", StringComparison.Ordinal));
        Assert.Single(names, name => name.EndsWith("-poison-messages", StringComparison.Ordinal));
        Assert.Single(names, name => name.EndsWith("-function-failures", StringComparison.Ordinal));
    }

    [Fact]
    public void Function_failures_alert_names_the_failing_function()
    {
        var dimensions = Alert("function-failures").Get("properties.criteria.allOf").EnumerateArray().Single().GetProperty("dimensions");

        Assert.Equal("FunctionName", dimensions.EnumerateArray().Single().GetProperty("name").GetString());
    }

    private static PredictedResource Alert(string suffix)
    {
        var matches = Snapshot.OfType(ResourceTypes.LogAlert).Where(rule => rule.Name.EndsWith("-" + suffix, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one alert named *-{suffix}, found {matches.Count}.");
        return matches[0];
    }

    private static string Criterion(PredictedResource rule, string property) =>
        rule.Get("properties.criteria.allOf").EnumerateArray().Single().GetProperty(property).GetString()!;
}
