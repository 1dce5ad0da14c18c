using ClockSync.Cli;

// Ctrl+C is turned into cancellation by System.CommandLine's invocation, which CliApp runs.
return await CliApp.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
