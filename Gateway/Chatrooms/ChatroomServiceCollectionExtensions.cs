using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Protocol;

namespace OrleansIm.Gateway.Chatrooms;

/// <summary>Registers the gateway's chatroom relay, its renewal and the chatroom.* frames.</summary>
public static class ChatroomServiceCollectionExtensions
{
    public static IServiceCollection AddOrleansImChatrooms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChatroomGatewayOptions>().Bind(configuration.GetSection(ChatroomGatewayOptions.SectionName))
            .Validate(o => o.MaxRoomsPerConnection >= 1, "Chatrooms:MaxRoomsPerConnection must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<ChatroomRelay>();
        services.AddHostedService<ChatroomRelayRenewal>();
        services.AddSingleton<IFrameHandler, ChatroomEnterFrameHandler>();
        services.AddSingleton<IFrameHandler, ChatroomExitFrameHandler>();
        services.AddSingleton<IFrameHandler, ChatroomInfoFrameHandler>();
        return services;
    }
}
