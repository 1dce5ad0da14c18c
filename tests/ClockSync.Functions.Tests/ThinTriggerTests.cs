using System.Reflection;
using ClockSync.Functions.Triggers;
using ClockSync.Pipeline;
using ClockSync.Pipeline.Ingest;
using Microsoft.Azure.Functions.Worker;

namespace ClockSync.Functions.Tests;

/// <summary>
/// Triggers stay thin (docs/architecture.md): bind, call one handler, return. The shape is checked by reflection, which is what
/// can be checked without a host: one [Function] method, the handler as the only dependency, no FunctionContext.
/// </summary>
public sealed class ThinTriggerTests
{
    public static TheoryData<Type, Type> Triggers => new()
    {
        { typeof(IngestClockExport), typeof(IngestClockExportHandler) },
        { typeof(PostPunchBatch), typeof(PostPunchBatchHandler) },
        { typeof(RetryFailedBatches), typeof(RetryFailedBatchesHandler) },
    };

    [Fact]
    public void Every_function_class_in_the_app_is_covered_here()
    {
        var withFunctions = typeof(IngestClockExport).Assembly.GetTypes()
            .Where(type => type.GetMethods().Any(method => method.GetCustomAttribute<FunctionAttribute>() is not null))
            .Select(type => type.FullName)
            .Order(StringComparer.Ordinal);

        Assert.Equal(Triggers.Select(row => ((Type)row[0]).FullName).Order(StringComparer.Ordinal), withFunctions);
    }

    [Theory]
    [MemberData(nameof(Triggers))]
    public void Its_only_dependency_is_its_handler(Type trigger, Type handler)
    {
        Assert.True(trigger.IsSealed, $"{trigger.Name} should be sealed.");
        var constructor = Assert.Single(trigger.GetConstructors());
        var parameter = Assert.Single(constructor.GetParameters());
        Assert.Equal(handler, parameter.ParameterType);
        Assert.DoesNotContain(
            trigger.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public),
            field => field.FieldType != handler);
    }

    public static TheoryData<Type> TriggerTypes => new(Triggers.Select(row => (Type)row[0]));

    [Theory]
    [MemberData(nameof(TriggerTypes))]
    public void It_has_one_function_method_named_after_the_class_that_returns_the_handlers_task(Type trigger)
    {
        var method = Assert.Single(trigger.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.DeclaredOnly));

        Assert.Equal(trigger.Name, method.GetCustomAttribute<FunctionAttribute>()?.Name);
        Assert.Equal(typeof(Task), method.ReturnType);
        Assert.Equal(typeof(CancellationToken), method.GetParameters()[^1].ParameterType);
        Assert.DoesNotContain(method.GetParameters(), parameter => parameter.ParameterType == typeof(FunctionContext));
    }

    [Fact]
    public void The_blob_is_bound_as_a_client_and_the_queue_message_as_text_with_its_dequeue_count()
    {
        var ingest = typeof(IngestClockExport).GetMethod(nameof(IngestClockExport.RunAsync))!.GetParameters();
        var post = typeof(PostPunchBatch).GetMethod(nameof(PostPunchBatch.RunAsync))!.GetParameters();

        Assert.Equal(typeof(Azure.Storage.Blobs.BlobClient), ingest[0].ParameterType);
        Assert.Equal([typeof(string), typeof(long), typeof(CancellationToken)], post.Select(parameter => parameter.ParameterType));
        // The worker binds an unattributed parameter from the trigger metadata by name (case-insensitive):
        // the queue trigger publishes DequeueCount.
        Assert.Equal("dequeueCount", post[1].Name, ignoreCase: true);
    }
}
