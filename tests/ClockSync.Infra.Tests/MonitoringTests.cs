using ClockSync.Infra.Tests.Infrastructure;

namespace ClockSync.Infra.Tests;

/// <summary>Entra-only Application Insights on Log Analytics, and the three operator alerts.</summary>
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
    [InlineData("poison-messages", "traces", "MaxDequeueCount")]
    [InlineData("poison-messages", "traces", "-poison")]
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

    [Theory]
    [InlineData("batches-parked")]
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
    public void Exactly_the_three_operator_alerts_exist()
    {
        var names = Snapshot.OfType(ResourceTypes.LogAlert).Select(rule => rule.Name).ToList();

        Assert.Equal(3, names.Count);
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
