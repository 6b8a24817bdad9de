using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansIm.Gateway.Http;

namespace OrleansIm.Gateway.Teams;

/// <summary>Maps the teams server API (<see cref="TeamEndpoints"/>) under /im/teams.</summary>
public static class TeamEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapOrleansImTeams(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.ServiceProvider.GetRequiredService<ImApiHandler>();
        var teams = endpoints.ServiceProvider.GetRequiredService<TeamEndpoints>();
        endpoints.MapPost("/im/teams", Api(api, teams.CreateAsync));
        endpoints.MapGet("/im/teams/{team_id}", Api(api, teams.GetAsync));
        endpoints.MapPut("/im/teams/{team_id}", Api(api, teams.UpdateAsync));
        endpoints.MapDelete("/im/teams/{team_id}", Api(api, teams.DismissAsync));
        endpoints.MapGet("/im/teams/{team_id}/members", Api(api, teams.GetMembersAsync));
        endpoints.MapPost("/im/teams/{team_id}/members", Api(api, teams.AddMembersAsync));
        endpoints.MapPost("/im/teams/{team_id}/members/remove", Api(api, teams.RemoveMembersAsync));
        endpoints.MapPut("/im/teams/{team_id}/owner", Api(api, teams.TransferAsync));
        endpoints.MapPost("/im/teams/{team_id}/managers", Api(api, teams.AddManagersAsync));
        endpoints.MapPost("/im/teams/{team_id}/managers/remove", Api(api, teams.RemoveManagersAsync));
        return endpoints;
    }

    private static RequestDelegate Api(ImApiHandler handler, Func<HttpContext, Task<JsonNode?>> action) =>
        context => handler.HandleAsync(context, action);
}
