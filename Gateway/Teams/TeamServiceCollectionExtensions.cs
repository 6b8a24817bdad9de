using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Sync;
using Orleans;

namespace OrleansIm.Gateway.Teams;

/// <summary>Registers the gateway side of teams: the <c>team.*</c> frames, the login sync sections and the server API.</summary>
public static class TeamServiceCollectionExtensions
{
    public static IServiceCollection AddOrleansImTeams(this IServiceCollection services)
    {
        foreach (var (type, action) in TeamFrames.All)
        {
            services.AddSingleton<IFrameHandler>(sp =>
                new TeamFrameHandler(type, action, sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<AppCredentials>()));
        }
        services.AddSingleton<TeamEndpoints>();
        services.AddSingleton<ILoginSyncSection, TeamsSyncSection>();
        services.AddSingleton<ILoginSyncSection, MyTeamMembersSyncSection>();
        return services;
    }
}
