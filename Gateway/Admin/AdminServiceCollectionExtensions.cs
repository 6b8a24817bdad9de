using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.RateLimits;

namespace OrleansIm.Gateway.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>
    /// The admin key and its gate (admin API and dashboard), the Admin options and the rate-limit options the gate reads.
    /// Safe to call more than once (a cluster silo that also serves clients).
    /// </summary>
    public static IServiceCollection AddOrleansImAdminKey(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(AdminKeyGate))) return services;
        services.Configure<AdminOptions>(configuration.GetSection(AdminOptions.SectionName));
        services.AddRateLimitOptions(configuration);
        services.AddSingleton(_ => AdminCredentials.Resolve(configuration));
        services.AddSingleton<AdminKeyGate>();
        services.AddSingleton<AdminDashboardGate>();
        return services;
    }

    /// <summary>The admin API of a gateway, and this gateway's registration with the gateway directory.</summary>
    public static IServiceCollection AddOrleansImAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrleansImAdminKey(configuration);
        services.TryAddSingleton<GatewayIdentity>();
        services.AddSingleton<LocalGateway>();
        services.AddSingleton<GatewayRegistration>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayRegistration>());
        services.AddSingleton<AdminApiHandler>();
        services.AddSingleton<AdminEndpoints>();
        return services;
    }

    /// <summary>Gateway:RateLimits with its start-up validation, once.</summary>
    public static IServiceCollection AddRateLimitOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<RateLimitOptions>))) return services;
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        return services;
    }
}
