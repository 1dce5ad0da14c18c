using System.Reflection;
using ClockSync.Cli.Hosting;
using ClockSync.Functions.Triggers;

namespace ClockSync.Functions.Tests;

/// <summary>
/// <c>clocksync run</c> hosts the same functions on the WebJobs SDK; its trigger attributes are a second copy of the
/// worker's. These tests fail when the two copies drift: names, trigger kinds, paths, queues, schedules, connections.
/// </summary>
public sealed class LocalHostBindingDriftTests
{
    [Fact]
    public void The_local_host_exposes_the_same_functions_with_the_same_triggers_as_the_worker()
    {
        var worker = Bindings(typeof(IngestClockExport).Assembly, "Microsoft.Azure.Functions.Worker.FunctionAttribute");
        var local = Bindings(typeof(IngestClockExportJob).Assembly, "Microsoft.Azure.WebJobs.FunctionNameAttribute");

        Assert.Equal(3, worker.Count);
        Assert.Equal(worker, local);
    }

    [Fact]
    public void The_comparison_sees_every_trigger_setting()
    {
        var local = Bindings(typeof(IngestClockExportJob).Assembly, "Microsoft.Azure.WebJobs.FunctionNameAttribute");

        Assert.Contains(new Binding("IngestClockExport", "BlobTrigger", "%ClockSyncExportsContainer%/{name}", "ClockSyncStorage"), local);
        Assert.Contains(new Binding("PostPunchBatch", "QueueTrigger", "%ClockSyncBatchQueue%", "ClockSyncStorage"), local);
        Assert.Contains(new Binding("RetryFailedBatches", "TimerTrigger", "%ClockSyncRetrySchedule%", null), local);
    }

    private static List<Binding> Bindings(Assembly assembly, string functionAttribute) =>
        assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(method => (method, name: Named(method, functionAttribute)))
            .Where(found => found.name is not null)
            .Select(found => Describe(found.name!, found.method))
            .OrderBy(binding => binding.Function, StringComparer.Ordinal)
            .ToList();

    private static string? Named(MethodInfo method, string functionAttribute)
    {
        var attribute = method.GetCustomAttributes().SingleOrDefault(a => a.GetType().FullName == functionAttribute);
        return attribute is null ? null : (string?)attribute.GetType().GetProperty("Name")!.GetValue(attribute);
    }

    private static Binding Describe(string function, MethodInfo method)
    {
        var trigger = Assert.Single(
            method.GetParameters().SelectMany(p => p.GetCustomAttributes()),
            a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal));
        var type = trigger.GetType();
        var kind = type.Name[..^"Attribute".Length];
        var expression = kind switch
        {
            "BlobTrigger" => Read(trigger, "BlobPath"),
            "QueueTrigger" => Read(trigger, "QueueName"),
            "TimerTrigger" => Read(trigger, "Schedule") ?? Read(trigger, "ScheduleExpression"),
            _ => throw new InvalidOperationException($"{function}: unexpected trigger {type.FullName}"),
        };
        return new Binding(function, kind, expression, Read(trigger, "Connection"));
    }

    private static string? Read(object attribute, string property) =>
        attribute.GetType().GetProperty(property)?.GetValue(attribute) as string;

    private sealed record Binding(string Function, string Kind, string? Expression, string? Connection);
}
