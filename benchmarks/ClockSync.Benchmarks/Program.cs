using BenchmarkDotNet.Running;
using ClockSync.Benchmarks.Memory;

if (MemoryCommand.TryRun(args, out var memoryExitCode))
{
    return memoryExitCode;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
