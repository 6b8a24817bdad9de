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
        endpoints.MapPost("/im/teams", api.Endpoint(teams.CreateAsync));
        endpoints.MapGet("/im/teams/{team_id}", api.Endpoint(teams.GetAsync));
        endpoints.MapPut("/im/teams/{team_id}", api.Endpoint(teams.UpdateAsync));
        endpoints.MapDelete("/im/teams/{team_id}", api.Endpoint(teams.DismissAsync));
        endpoints.MapGet("/im/teams/{team_id}/members", api.Endpoint(teams.GetMembersAsync));
        endpoints.MapPost("/im/teams/{team_id}/members", api.Endpoint(teams.AddMembersAsync));
        endpoints.MapPost("/im/teams/{team_id}/members/remove", api.Endpoint(teams.RemoveMembersAsync));
        endpoints.MapPut("/im/teams/{team_id}/owner", api.Endpoint(teams.TransferAsync));
        endpoints.MapPost("/im/teams/{team_id}/managers", api.Endpoint(teams.AddManagersAsync));
        endpoints.MapPost("/im/teams/{team_id}/managers/remove", api.Endpoint(teams.RemoveManagersAsync));
        return endpoints;
    }
}
