using ClockSync.FeishuSandbox.Hosting;

namespace ClockSync.FeishuSandbox;

/// <summary>Standalone entry point: <c>dotnet run --project src/ClockSync.FeishuSandbox -- --help</c>.</summary>
internal static class SandboxProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(SandboxCommandLine.Usage);
            return 0;
        }

        var (settings, error) = SandboxCommandLine.Parse(args, Environment.GetEnvironmentVariable("FEISHU_SANDBOX_APP_SECRET"));
        if (settings is null)
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + Environment.NewLine + SandboxCommandLine.Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

        await using var server = await FeishuSandboxServer.StartAsync(settings, stop.Token);

        // The secret is never printed: it came from the command line or the environment, so the operator has it.
        Console.WriteLine($"Feishu sandbox listening on {server.BaseAddress}");
        Console.WriteLine($"  app id: {string.Join(", ", settings.Apps.Keys)}");
        Console.WriteLine($"  users: {(server.Tenant.AcceptsAnyUser ? "any" : "known set")}, unknown users: {settings.Behaviour.UnknownUserMode}");
        Console.WriteLine($"  rate limit: {(settings.RateLimit.Enabled ? settings.RateLimit.RequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture) + " requests/s" : "off")}");
        Console.WriteLine($"  chats: {string.Join(", ", settings.Messaging.Chats.Keys)}");
        Console.WriteLine($"  inspect: {server.BaseAddress}_sandbox/ledger  {server.BaseAddress}_sandbox/messages  {server.BaseAddress}_sandbox/requests");
        Console.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: dispose stops the server.
        }

        return 0;
    }
}
