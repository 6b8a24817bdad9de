using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Protocol.Handlers;
using OrleansIm.Gateway.Protocol.Sync;

namespace OrleansIm.Gateway.Protocol.SystemMessages;

/// <summary>System notifications on the gateway: the sysmsg.* frames and the login sync's syncSysMsgs.</summary>
public static class SystemNotificationServiceCollectionExtensions
{
    public static IServiceCollection AddSystemNotifications(this IServiceCollection services)
    {
        services.AddSingleton<IFrameHandler, SysMsgListFrameHandler>();
        services.AddSingleton<IFrameHandler, SysMsgReadFrameHandler>();
        services.AddSingleton<ILoginSyncSection, SystemNotificationSyncSection>();
        return services;
    }
}
