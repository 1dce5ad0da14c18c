using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Everything the three handlers need: validated options (ValidateOnStart), the Azure storage clients, secrets,
    /// the Feishu client, the stores and the handlers. The Functions worker and the local host both call this.
    /// </summary>
    public static IServiceCollection AddClockSyncPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        throw new NotImplementedException("Arrives with the pipeline issue.");
    }
}
