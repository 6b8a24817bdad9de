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
        endpoints.MapGet("/im/users", api.Endpoint(relations.GetUsersAsync));
        endpoints.MapPost("/im/users/{client_id}/friends", api.Endpoint(relations.AddFriendAsync));
        endpoints.MapGet("/im/users/{client_id}/friends", api.Endpoint(relations.ListFriendsAsync));
        endpoints.MapPut("/im/users/{client_id}/friends/{account}", api.Endpoint(relations.UpdateFriendAsync));
        endpoints.MapDelete("/im/users/{client_id}/friends/{account}", api.Endpoint(relations.DeleteFriendAsync));
        endpoints.MapGet("/im/users/{client_id}/relations", api.Endpoint(relations.ListRelationsAsync));
        endpoints.MapPost("/im/users/{client_id}/blacklist", api.Endpoint(relations.AddBlackAsync));
        endpoints.MapDelete("/im/users/{client_id}/blacklist/{account}", api.Endpoint(relations.RemoveBlackAsync));
        endpoints.MapPost("/im/users/{client_id}/mutelist", api.Endpoint(relations.AddMuteAsync));
        endpoints.MapDelete("/im/users/{client_id}/mutelist/{account}", api.Endpoint(relations.RemoveMuteAsync));
        return endpoints;
    }
}
