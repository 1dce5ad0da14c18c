using System.Net.Http;
using Azure;

namespace ClockSync.Cli.Commands;

/// <summary>Runs an operator command's body with the services built and storage failures turned into exit code 9.</summary>
internal static class OperatorCommand
{
    public static async Task<int> RunAsync(
        CliContext context, bool needsFeishu, Func<OperatorServices, Task<int>> body)
    {
        var (services, exitCode) = await OperatorServices.TryCreateAsync(context, needsFeishu);
        if (services is null)
        {
            return exitCode;
        }

        await using (services)
        {
            try
            {
                return await body(services);
            }
            catch (RequestFailedException exception)
            {
                return await OperatorServices.StorageFailedAsync(context, exception);
            }
            catch (AggregateException exception) when (exception.InnerExceptions.All(inner => inner is RequestFailedException or HttpRequestException))
            {
                // The storage SDK's retries gave up (the account is unreachable).
                await context.Error.WriteLineAsync($"{CliApp.Name}: storage cannot be reached: {exception.InnerExceptions[^1].Message}");
                return ExitCodes.ServiceFailed;
            }
        }
    }
}
