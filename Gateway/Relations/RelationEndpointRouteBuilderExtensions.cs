using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Http;

namespace OrleansIm.Gateway.Relations;

/// <summary>Maps the friends, relations and name-card server API under /im/users (docs/protocol.md § Friends and relations).</summary>
public static class RelationEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapOrleansImRelations(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.ServiceProvider.GetRequiredService<ImApiHandler>();
        var relations = endpoints.ServiceProvider.GetRequiredService<RelationEndpoints>();
        endpoints.MapGet("/im/users", Api(api, relations.GetUsersAsync));
        endpoints.MapPost("/im/users/{client_id}/friends", Api(api, relations.AddFriendAsync));
        endpoints.MapGet("/im/users/{client_id}/friends", Api(api, relations.ListFriendsAsync));
        endpoints.MapPut("/im/users/{client_id}/friends/{account}", Api(api, relations.UpdateFriendAsync));
        endpoints.MapDelete("/im/users/{client_id}/friends/{account}", Api(api, relations.DeleteFriendAsync));
        endpoints.MapGet("/im/users/{client_id}/relations", Api(api, relations.ListRelationsAsync));
        endpoints.MapPost("/im/users/{client_id}/blacklist", Api(api, relations.AddBlackAsync));
        endpoints.MapDelete("/im/users/{client_id}/blacklist/{account}", Api(api, relations.RemoveBlackAsync));
        endpoints.MapPost("/im/users/{client_id}/mutelist", Api(api, relations.AddMuteAsync));
        endpoints.MapDelete("/im/users/{client_id}/mutelist/{account}", Api(api, relations.RemoveMuteAsync));
        return endpoints;
    }

    private static RequestDelegate Api(ImApiHandler handler, Func<HttpContext, Task<JsonNode?>> action) =>
        context => handler.HandleAsync(context, action);
}
