using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansIm.Gateway.Admin;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Calls;
using OrleansIm.Gateway.Chatrooms;
using OrleansIm.Gateway.Files;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Relations;
using OrleansIm.Gateway.Observability;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Gateway.Protocol.Handlers;
using OrleansIm.Gateway.Protocol.SystemMessages;
using OrleansIm.Gateway.RateLimits;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Gateway.Teams;
using OrleansIm.Gateway.Upgrades;

namespace OrleansIm.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>ASP.NET Core's "Request starting … / Request finished …" log, which includes query strings.</summary>
    public const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Largest accepted Gateway:DrainTimeout (Kubernetes' grace period must exceed it).</summary>
    public static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Registers the gateway (REST, /ws, frame handlers). Needs an IGrainFactory from the silo registration.</summary>
    public static IServiceCollection AddOrleansImGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName))
            .Validate(o => o.DrainTimeout >= TimeSpan.Zero && o.DrainTimeout <= MaxDrainTimeout,
                $"Gateway:DrainTimeout must be between 00:00:00 and {MaxDrainTimeout}.")
            .ValidateOnStart();
        // Kestrel:Limits:* (request line and header sizes, header timeout…) hold for both upgrade routes and all HTTP.
        services.Configure<KestrelServerOptions>(configuration.GetSection("Kestrel"));
        // Tokens ride in the query string of /ws and STOMP URLs (browsers cannot set WebSocket headers), and ASP.NET
        // Core's request log prints whole URLs at Information. Added after the configuration's rules, so it wins.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter(RequestLogCategory, LogLevel.Warning));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();

        services.AddSingleton(sp => GatewaySecrets.Resolve(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value,
            configuration,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansIm.Gateway")));
        services.AddSingleton(sp => new AppCredentials(
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.AppId,
            sp.GetRequiredService<GatewaySecrets>().AppKey));
        services.AddSingleton(sp => new JwtTokenService(
            sp.GetRequiredService<GatewaySecrets>().JwtSecret,
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.TokenLifetime,
            sp.GetRequiredService<TimeProvider>()));

        // Seed 002's authType 1 (dynamic tokens) and 2 (third-party callback login); both need Gateway:AppSecret.
        services.Configure<DynamicTokenOptions>(configuration.GetSection(DynamicTokenOptions.SectionName));
        services.Configure<AuthCallbackOptions>(configuration.GetSection(AuthCallbackOptions.SectionName));
        services.AddSingleton(sp => new DynamicTokenService(
            sp.GetRequiredService<GatewaySecrets>().AppKey,
            sp.GetRequiredService<GatewaySecrets>().AppSecret,
            sp.GetRequiredService<IOptions<DynamicTokenOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        // No redirects: a 3xx from the app server is an error, never a login admitted by whatever it points to.
        services.AddHttpClient(CallbackLoginClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddSingleton<CallbackLoginClient>();
        services.AddSingleton<ClientAuthenticator>();

        services.AddRateLimitOptions(configuration);
        services.AddSingleton<SendRateLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, AppCredentials>(
            (options, limits, app) => HttpRateLimiting.Configure(options, limits.Value, app));

        services.AddSingleton<IFrameHandler, LoginFrameHandler>();
        services.AddSingleton<IFrameHandler, PingFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageSendFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageHistoryFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageSyncFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageReadFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageRecallFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageDeleteSelfFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageClearHistoryFrameHandler>();
        services.AddSingleton<IFrameHandler, ConversationListFrameHandler>();
        services.AddSingleton<IFrameHandler, SessionListFrameHandler>();
        services.AddSingleton<IFrameHandler, SyncFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageReceiptsFrameHandler>();
        services.AddSingleton<IFrameHandler, MessageReadersFrameHandler>();
        services.AddSingleton<IFrameHandler, PresenceQueryFrameHandler>();
        services.AddSingleton<IFrameHandler, PresenceSubscribeFrameHandler>();
        services.AddSingleton<IFrameHandler, PresenceUnsubscribeFrameHandler>();
        services.AddOrleansImTeams();
        services.AddSingleton<FrameDispatcher>();

        services.Configure<TurnOptions>(configuration.GetSection(TurnOptions.SectionName));
        services.AddSingleton<CallCommands>();
        services.AddSingleton<TurnCredentialService>();
        services.AddSingleton<CallEndpoints>();
        services.AddSingleton<IFrameHandler, CallRequestFrameHandler>();
        services.AddSingleton<IFrameHandler, CallResponseFrameHandler>();
        services.AddSingleton<IFrameHandler, CallHangupFrameHandler>();
        services.AddSingleton<IFrameHandler, RtcSignalingFrameHandler>();
        services.AddSingleton<IFrameHandler, TurnCredentialsFrameHandler>();

        // Issue 10's features, each registering its frames and login sync sections.
        services.AddSystemNotifications();
        services.AddOrleansImRelations();

        services.AddSingleton<ConnectionManager>();
        services.AddSingleton<ConnectionTicker>();
        // Graceful drain on stop (SIGTERM): readiness fails at once, then the connections are drained before any
        // service stops. The host's shutdown budget (.NET's default, or a silo's) is extended by the drain.
        services.AddHostedService<GatewayDrainService>();
        services.AddHealthChecks().AddCheck<DrainHealthCheck>(DrainHealthCheck.Name, tags: [HealthEndpoints.ReadyTag]);
        services.AddOptions<HostOptions>().PostConfigure<IOptions<GatewayOptions>>((host, gateway) =>
            host.ShutdownTimeout += gateway.Value.DrainTimeout + gateway.Value.CloseTimeout);
        services.AddSingleton<WebSocketEndpoint>();
        services.AddSingleton<SocketUpgradePipeline>();
        services.AddSingleton<StompApplication>();
        services.AddSingleton<StompEndpoint>();
        services.AddSingleton<ImApiHandler>();
        services.AddSingleton<OpenApiUserEndpoints>();
        services.AddSingleton<ConversationEndpoints>();
        services.AddSingleton<MessageEndpoints>();
        services.AddSingleton<MessageEditEndpoints>();
        services.AddOrleansImChatrooms(configuration);
        services.AddOrleansImFiles(configuration);
        services.AddOrleansImAdmin(configuration);
        return services;
    }
}
