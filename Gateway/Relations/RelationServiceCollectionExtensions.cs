using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Sync;
using OrleansIm.Gateway.Relations.Frames;
using OrleansIm.Gateway.Relations.Sync;

namespace OrleansIm.Gateway.Relations;

/// <summary>Registers friends, black and mute lists and name cards with a gateway: socket frames, login sync sections, server API.</summary>
public static class RelationServiceCollectionExtensions
{
    public static IServiceCollection AddOrleansImRelations(this IServiceCollection services)
    {
        services.AddSingleton<IFrameHandler, FriendAddFrameHandler>();
        services.AddSingleton<IFrameHandler, FriendAcceptFrameHandler>();
        services.AddSingleton<IFrameHandler, FriendRejectFrameHandler>();
        services.AddSingleton<IFrameHandler, FriendDeleteFrameHandler>();
        services.AddSingleton<IFrameHandler, FriendUpdateFrameHandler>();
        services.AddSingleton<IFrameHandler, FriendListFrameHandler>();
        services.AddSingleton<IFrameHandler, RelationBlackFrameHandler>();
        services.AddSingleton<IFrameHandler, RelationMuteFrameHandler>();
        services.AddSingleton<IFrameHandler, RelationMuteSessionFrameHandler>();
        services.AddSingleton<IFrameHandler, RelationListFrameHandler>();
        services.AddSingleton<IFrameHandler, UserUpdateProfileFrameHandler>();
        services.AddSingleton<IFrameHandler, UserGetFrameHandler>();
        services.AddSingleton<ILoginSyncSection, RelationsSyncSection>();
        services.AddSingleton<ILoginSyncSection, FriendsSyncSection>();
        services.AddSingleton<ILoginSyncSection, FriendUsersSyncSection>();
        services.AddSingleton<RelationEndpoints>();
        return services;
    }
}
