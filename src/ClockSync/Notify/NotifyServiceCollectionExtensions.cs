using ClockSync.Pipeline;
using ClockSync.Storage.Notifications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClockSync.Notify;

public static class NotifyServiceCollectionExtensions
{
    /// <summary>
    /// The Feishu cards: validated <see cref="NotifyOptions"/> from <c>ClockSync:Notify</c>, the marker store, the
    /// <see cref="Notifier"/> and the <see cref="ImportSettledNotifier"/> the handlers call. Needs the pipeline's storage
    /// and the Feishu client (<see cref="PipelineServiceCollectionExtensions.AddClockSyncPipeline"/> registers all).
    /// </summary>
    public static IServiceCollection AddClockSyncNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NotifyOptions>().Bind(configuration.GetSection(NotifyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<NotificationStore>();
        services.TryAddSingleton<Notifier>();
        services.TryAddSingleton<ImportSettledNotifier>();
        return services;
    }
}
