using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansIm.Gateway.Admin;
using OrleansIm.Gateway.Auth;
using OrleansIm.Gateway.Calls;
using OrleansIm.Gateway.Files;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Relations;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Gateway.Teams;
using OrleansIm.Gateway.Upgrades;
using OrleansIm.Gateway.Observability;

namespace OrleansIm.Gateway;

public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps seed 000's /openapi/v1/user/*, seed 003's /im/* (file upload and /storage/uploads/* too), seed 001's /imserver/call|turn/*, the /ws socket and seed
    /// 001's STOMP socket /imserver/ws. Resolves the secrets now so a
    /// misconfigured node fails at startup, not on the first request. On a WebApplication it also adds the
    /// WebSocket middleware, which /ws needs.
    /// </summary>
    public static IEndpointRouteBuilder MapOrleansImGateway(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        services.GetRequiredService<GatewaySecrets>();
        var socket = services.GetRequiredService<WebSocketEndpoint>();
        var stomp = services.GetRequiredService<StompEndpoint>();

        if (endpoints is IApplicationBuilder app)
        {
            // Draining (shutting down): refuse new requests and upgrades with 503 before anything else runs.
            app.UseDrainGate();
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = SocketUpgrades.KeepAliveInterval });
            // Gateway:RateLimits for the server API and socket upgrades (429 + Retry-After); frames and sends are limited in the connections.
            app.UseRateLimiter();

            // The same gates and limiter in front of the same endpoints, for upgrades read off the connection (Gateway:DirectUpgrades).
            var upgrades = app.New();
            if (app.Properties.ContainsKey(StartupGate.InPipelineProperty)) upgrades.UseStartupGate();
            upgrades.UseDrainGate();
            upgrades.UseRateLimiter();
            upgrades.Run(context => context.Request.Path.Equals(StompEndpoint.Path, StringComparison.OrdinalIgnoreCase)
                ? stomp.HandleAsync(context)
                : socket.HandleAsync(context));
            services.GetRequiredService<SocketUpgradePipeline>().Set(upgrades.Build());
        }

        var users = services.GetRequiredService<OpenApiUserEndpoints>();
        endpoints.MapPost("/openapi/v1/user/login", users.LoginAsync);
        endpoints.MapPut("/openapi/v1/user/status", users.SetStatusAsync);
        endpoints.MapPost("/openapi/v1/user/token/refresh", users.RefreshTokenAsync);
        endpoints.MapPost("/openapi/v1/user/token/revoke", users.RevokeTokensAsync);

        var api = services.GetRequiredService<ImApiHandler>();
        var conversations = services.GetRequiredService<ConversationEndpoints>();
        var messages = services.GetRequiredService<MessageEndpoints>();
        endpoints.MapPost("/im/conversations", api.Endpoint(conversations.CreateAsync));
        endpoints.MapGet("/im/conversations", api.Endpoint(conversations.QueryAsync));
        endpoints.MapPut("/im/conversations", api.Endpoint(conversations.UpdateAsync));
        endpoints.MapDelete("/im/conversations/{conv_id}", api.Endpoint(conversations.DeleteAsync));
        endpoints.MapPost("/im/conversations/{conv_id}/members", api.Endpoint(conversations.AddMembersAsync));
        endpoints.MapGet("/im/conversations/{conv_id}/members", api.Endpoint(conversations.GetMembersAsync));
        endpoints.MapPost("/im/conversations/{conv_id}/message", api.Endpoint(messages.SendAsync));
        endpoints.MapGet("/im/conversations/{conv_id}/message", api.Endpoint(messages.ListAsync));
        var edits = services.GetRequiredService<MessageEditEndpoints>();
        endpoints.MapPost("/im/conversations/{conv_id}/message/recall", api.Endpoint(edits.RecallAsync));
        endpoints.MapPost("/im/conversations/{conv_id}/message/delete_self", api.Endpoint(edits.DeleteForSelfAsync));
        endpoints.MapPost("/im/conversations/{conv_id}/message/clear_history", api.Endpoint(edits.ClearHistoryForSelfAsync));
        endpoints.MapOrleansImTeams();

        // Seed 003 file upload and the URLs it hands out; not mapped (404) when this process has no file store.
        if (services.GetService<FileEndpoints>() is { } files)
        {
            endpoints.MapPost(FileEndpoints.UploadPath, files.UploadAsync);
            endpoints.MapMethods(FileEndpoints.DownloadRoute, [HttpMethods.Get, HttpMethods.Head], files.DownloadAsync);
        }

        // Seed 001 call HTTP twins, authenticated by the user's token in header "ide".
        var calls = services.GetRequiredService<CallEndpoints>();
        endpoints.MapPost("/imserver/call/request", calls.RequestAsync);
        endpoints.MapPost("/imserver/call/response", calls.RespondAsync);
        endpoints.MapPost("/imserver/call/hangup", calls.HangupAsync);
        endpoints.MapGet("/imserver/turn/get-turn-credentials", calls.TurnCredentialsAsync);

        // Operators' API under /admin/v1, behind Gateway:AdminKey (Gateway/Admin).
        endpoints.MapOrleansImRelations();
        endpoints.MapOrleansImAdmin();

        endpoints.Map("/ws", socket.HandleAsync);
        endpoints.Map(StompEndpoint.Path, stomp.HandleAsync);
        return endpoints;
    }
}
