using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Grains.Users;
using OrleansIm.Runtime.Hosting;

namespace OrleansIm.Grains;

/// <summary>Registers the IM grains with a silo. The stores (IMessageStore, IConversationIndex) are registered separately.</summary>
public static class ImGrainsSiloBuilderExtensions
{
    public static SiloBuilder AddImGrains(this SiloBuilder builder, Action<ImGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddGrains(typeof(UserGrain).Assembly);
        var options = builder.Services.AddOptions<ImGrainOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(
            o => o.DeviceExpiry > TimeSpan.Zero && o.PresenceWatchExpiry > TimeSpan.Zero && o.SweepPeriod > TimeSpan.Zero && o.MaxGroupMembers >= 2
                && o.CallRingTimeout > TimeSpan.Zero && o.CallReserveTimeout > TimeSpan.Zero,
            "ImGrainOptions: expiries, the sweep period and the call timeouts must be positive and MaxGroupMembers at least 2.");
        return builder;
    }
}
