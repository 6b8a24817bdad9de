using Microsoft.Extensions.DependencyInjection;

namespace OrleansIm.Grains;

/// <summary>
/// Registers the IM grains' options with a silo. The grain classes themselves reach the silo through the Orleans
/// Sdk's code generator (this assembly is an application part); the stores (IMessageStore, IConversationIndex) and
/// the grain storage are registered separately, per node type.
/// </summary>
public static class ImGrainsSiloBuilderExtensions
{
    public static ISiloBuilder AddImGrains(this ISiloBuilder builder, Action<ImGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ImGrainOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(
            o => o.DeviceExpiry > TimeSpan.Zero && o.PresenceWatchExpiry > TimeSpan.Zero && o.SweepPeriod > TimeSpan.Zero && o.MaxGroupMembers >= 2
                && o.CallRingTimeout > TimeSpan.Zero && o.DeviceProbePeriod > TimeSpan.Zero && o.RecallWindow >= TimeSpan.Zero
                && o.ReadReceiptFlushPeriod > TimeSpan.Zero && o.GroupReceiptPushPeriod > TimeSpan.Zero
                && Enum.IsDefined(o.DevicePolicy) && o.MaxConnectionsPerUser >= 1 && o.MaxSystemNotifications is >= 1 and <= 10_000,
            "ImGrainOptions: expiries, the sweep period, the call ring timeout, DeviceProbePeriod and the receipt periods must be positive, " +
            "RecallWindow not negative, MaxGroupMembers at least 2, " +
            "DevicePolicy one of OnePerDeviceType, DesktopAndMobile, Single, Unlimited, MaxConnectionsPerUser at least 1 " +
            "and MaxSystemNotifications 1-10000.")
            .ValidateOnStart();
        // The call grain's reminders re-tick every CallGrain.ReminderPeriod until forgotten; see there why not 1 minute.
        builder.Services.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = Calls.CallGrain.ReminderPeriod);
        return builder;
    }
}
