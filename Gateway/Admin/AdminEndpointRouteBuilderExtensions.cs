using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansIm.Gateway.Admin;

public static class AdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin API under /admin/v1. Mapped whether or not an admin key is configured, so a node without one
    /// answers every admin path 404 with code 4040 (disabled) instead of a bare 404. Resolves the admin key now, so a
    /// bad one stops the node at start-up.
    /// </summary>
    public static IEndpointRouteBuilder MapOrleansImAdmin(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        services.GetRequiredService<AdminCredentials>();
        var handler = services.GetRequiredService<AdminApiHandler>();
        var admin = services.GetRequiredService<AdminEndpoints>();
        var prefix = AdminEndpoints.Prefix;

        endpoints.MapGet(prefix + "/users/{user_id}", Api(handler, "user.get", admin.GetUserAsync));
        endpoints.MapPost(prefix + "/users/{user_id}/ban", Api(handler, "user.ban", admin.BanAsync));
        endpoints.MapPost(prefix + "/users/{user_id}/unban", Api(handler, "user.unban", admin.UnbanAsync));
        endpoints.MapPost(prefix + "/users/{user_id}/kick", Api(handler, "user.kick", admin.KickAsync));
        endpoints.MapGet(prefix + "/online", Api(handler, "online.get", admin.GetOnlineAsync));
        endpoints.MapGet(prefix + "/conversations/{conv_id}", Api(handler, "conversation.get", admin.GetConversationAsync));
        endpoints.MapGet(prefix + "/silos", Api(handler, "silos.get", admin.GetSilosAsync));
        endpoints.MapPost(prefix + "/broadcast", Api(handler, "broadcast", admin.BroadcastAsync));
        return endpoints;
    }

    private static RequestDelegate Api(AdminApiHandler handler, string action, Func<HttpContext, Task<JsonNode?>> run) =>
        context => handler.HandleAsync(context, action, run);
}
