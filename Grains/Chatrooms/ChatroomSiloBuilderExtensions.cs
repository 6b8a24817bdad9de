using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Chatrooms;

/// <summary>Registers and validates <see cref="ChatroomOptions"/> with a silo.</summary>
public static class ChatroomSiloBuilderExtensions
{
    public static ISiloBuilder AddChatrooms(this ISiloBuilder builder, Action<ChatroomOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ChatroomOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(
            o => o.MaxConnectionsPerRoom >= 1 && o.RecentMessages is >= 0 and <= ChatroomLimits.MaxRecentMessages
                && o.MessagesPerSecond > 0 && o.MessageBurst >= 1 && o.PresencePushPeriod > TimeSpan.Zero && o.RelayExpiry > TimeSpan.Zero,
            $"ChatroomOptions: MaxConnectionsPerRoom and MessageBurst at least 1, RecentMessages 0-{ChatroomLimits.MaxRecentMessages}, " +
            "MessagesPerSecond, PresencePushPeriod and RelayExpiry positive.")
            .ValidateOnStart();
        return builder;
    }
}
