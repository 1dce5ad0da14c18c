using BenchmarkDotNet.Running;
using ClockSync.Benchmarks.Feishu;
using ClockSync.Benchmarks.Memory;

// Plain timed runs that BenchmarkDotNet's repeated-iteration model does not fit are dispatched by name.
if (args is [FeishuThroughputBench.Command, ..])
{
    return await FeishuThroughputBench.RunAsync(args[1..]);
}

if (await MemoryCommand.TryRunAsync(args) is { } memoryExitCode)
{
    return memoryExitCode;
}

if (args is [ClockSync.Benchmarks.Pipeline.PipelineEndToEndBench.Command, ..])
{
    return await ClockSync.Benchmarks.Pipeline.PipelineEndToEndBench.RunAsync(args[1..]);
}

if (args is [ClockSync.Benchmarks.Pipeline.UnknownUsersBench.Command, ..])
{
    return await ClockSync.Benchmarks.Pipeline.UnknownUsersBench.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
