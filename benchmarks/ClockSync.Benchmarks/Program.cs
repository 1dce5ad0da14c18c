using BenchmarkDotNet.Running;
using ClockSync.Benchmarks.Feishu;
using ClockSync.Benchmarks.Pipeline;

// Plain timed runs that BenchmarkDotNet's repeated-iteration model does not fit are dispatched by name.
if (args is [FeishuThroughputBench.Command, ..])
{
    return await FeishuThroughputBench.RunAsync(args[1..]);
}

if (args is [PipelineEndToEndBench.Command, ..]) return await PipelineEndToEndBench.RunAsync(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
