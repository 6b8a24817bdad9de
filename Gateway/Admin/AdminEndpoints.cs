using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Admin;

/// <summary>
/// The admin API's actions under <see cref="Prefix"/> (authenticated by <see cref="AdminApiHandler"/>; reference in
/// docs/operations.md § Admin API). Every answer is bounded: a user's devices (one per device type), a conversation's
/// members (ImGrains:MaxGroupMembers), the silos in the membership table, one entry per gateway, and a broadcast's user
/// list (<see cref="MaxBroadcastUsers"/>).
/// </summary>
public sealed class AdminEndpoints(IGrainFactory grains, GatewayRegistration registration, IOptions<GatewayOptions> options)
{
    public const string Prefix = "/admin/v1";

    /// <summary>Seed 002's event for broadcast messages ("广播消息到达事件").</summary>
    public const string BroadcastEvent = "broadcastMsgs";

    /// <summary>User ids one targeted broadcast may name (one user-directory look-up, then one one-way push per user).</summary>
    public const int MaxBroadcastUsers = IUserDirectoryGrain.MaxLookupIds;

    /// <summary>GET /admin/v1/users/{user_id}: profile, presence, live devices.</summary>
    public async Task<JsonNode?> GetUserAsync(HttpContext context)
    {
        var user = grains.GetGrain<IUserGrain>(RouteUserId(context));
        var profile = await user.GetProfile() ?? throw new ImException(ImErrorCodes.UnknownUser, "Unknown user.");
        var devices = await user.GetDeviceInfos();
        var conversations = await user.GetConversations();
        return new JsonObject
        {
            ["user"] = OpenApiUserEndpoints.UserJson(profile),
            ["status"] = devices.Count > 0 ? PresenceStatus.Online : PresenceStatus.Offline,
            ["devices"] = DevicesJson(devices),
            ["conversation_count"] = conversations.Count,
        };
    }

    /// <summary>POST /admin/v1/users/{user_id}/ban: userStatus 2 (213 everywhere), every live socket kicked with 4403.</summary>
    public Task<JsonNode?> BanAsync(HttpContext context) => SetStatusAsync(context, UserStatuses.Banned);

    /// <summary>POST /admin/v1/users/{user_id}/unban: userStatus 1.</summary>
    public Task<JsonNode?> UnbanAsync(HttpContext context) => SetStatusAsync(context, UserStatuses.Normal);

    /// <summary>
    /// POST /admin/v1/users/{user_id}/kick {device_type?}: kicks every live device, or the one of device_type;
    /// each gets logout.kick with reason "admin" and close 4411. Not a ban: the user may connect again at once.
    /// </summary>
    public async Task<JsonNode?> KickAsync(HttpContext context)
    {
        var userId = RouteUserId(context);
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        var deviceType = JsonFields.OptionalString(body, "device_type", 32);
        if (deviceType is not null && !DeviceTypes.IsValid(deviceType))
            throw new ImException(ImErrorCodes.InvalidParameter, "device_type must be one of: " + string.Join(", ", DeviceTypes.All) + ".");

        var user = grains.GetGrain<IUserGrain>(userId);
        if (await user.GetProfile() is null) throw new ImException(ImErrorCodes.UnknownUser, "Unknown user.");
        var kicked = await user.Kick(deviceType, KickReasons.Admin);
        return new JsonObject { ["kicked"] = DevicesJson(kicked) };
    }

    /// <summary>
    /// GET /admin/v1/online: connections and users online, cluster-wide, from every registered gateway asked now
    /// (users are summed per gateway: a user connected through two gateways counts twice).
    /// </summary>
    public async Task<JsonNode?> GetOnlineAsync(HttpContext context)
    {
        await registration.RegisterAsync(); // this gateway is counted even if its periodic registration has not run yet
        var loads = await grains.GetGrain<IGatewayDirectoryGrain>(0).GetLoads();
        var reachable = loads.Where(l => l.Reachable).ToList();
        return new JsonObject
        {
            ["users"] = reachable.Sum(l => l.Users),
            ["connections"] = reachable.Sum(l => l.Connections),
            ["by_device_type"] = Sum(reachable.Select(l => l.ByDeviceType)),
            ["by_dialect"] = Sum(reachable.Select(l => l.ByDialect)),
            ["gateways"] = new JsonArray(loads.OrderBy(l => l.Gateway, StringComparer.Ordinal).Select(l => (JsonNode)new JsonObject
            {
                ["gateway"] = l.Gateway,
                ["reachable"] = l.Reachable,
                ["users"] = l.Users,
                ["connections"] = l.Connections,
            }).ToArray()),
        };
    }

    /// <summary>GET /admin/v1/conversations/{conv_id}: the seed 003 row, the last seq and the members (no membership check).</summary>
    public async Task<JsonNode?> GetConversationAsync(HttpContext context)
    {
        var conversation = grains.GetGrain<IConversationGrain>(ConversationEndpoints.RouteConversationId(context));
        var info = await conversation.GetInfo(null);
        var lastSeq = await conversation.GetLastSeq();
        var members = await conversation.GetMembers(null);
        return new JsonObject
        {
            ["conversation"] = ConversationJson.ToRow(info),
            ["last_seq"] = lastSeq,
            ["members"] = new JsonArray(members.Select(m => (JsonNode)m!).ToArray()),
        };
    }

    /// <summary>GET /admin/v1/silos: every silo in Orleans' membership table, dead ones included, with its status.</summary>
    public async Task<JsonNode?> GetSilosAsync(HttpContext context)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        return new JsonObject
        {
            ["active"] = hosts.Count(h => h.Status == SiloStatus.Active),
            ["silos"] = new JsonArray(hosts.OrderBy(h => h.StartTime).Select(h => (JsonNode)new JsonObject
            {
                ["address"] = h.SiloAddress.ToString(),
                ["name"] = h.SiloName,
                ["host"] = h.HostName,
                ["status"] = h.Status.ToString(),
                ["start_time"] = h.StartTime.ToUniversalTime().ToString("O"),
                ["i_am_alive_time"] = h.IAmAliveTime.ToUniversalTime().ToString("O"),
            }).ToArray()),
        };
    }

    /// <summary>
    /// POST /admin/v1/broadcast {text, attr?, user_ids?}: a <see cref="BroadcastEvent"/> event. With user_ids (at most
    /// <see cref="MaxBroadcastUsers"/>) to those users' live devices through their user grains; without, to every
    /// connection of every registered gateway, each gateway pushing to its own sockets (one call per gateway).
    /// </summary>
    public async Task<JsonNode?> BroadcastAsync(HttpContext context)
    {
        var body = await RequestBodyReader.ReadObjectAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted);
        var text = JsonFields.RequiredString(body, "text", MessageLimits.MaxTextLength);
        if (text.Length == 0) throw new ImException(ImErrorCodes.MissingParameter, "text must not be empty.");
        var attr = JsonFields.OptionalRawJson(body, "attr", MessageLimits.MaxAttrLength);
        var userIds = JsonFields.OptionalUserIdArray(body, "user_ids", MaxBroadcastUsers);

        var broadcastId = Guid.NewGuid().ToString("N");
        var payload = new JsonObject
        {
            ["msgs"] = new JsonArray(new JsonObject
            {
                ["broadcast_id"] = broadcastId,
                ["from"] = "admin",
                ["text"] = text,
                ["attr"] = MessageJson.RawToNode(attr),
                ["time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            }),
        };
        var clientEvent = new ClientEvent(BroadcastEvent, payload.ToJsonString());

        if (userIds is not null)
        {
            var known = userIds.Count == 0 ? [] : await grains.GetGrain<IUserDirectoryGrain>(0).FindKnown(userIds);
            foreach (var id in known) await grains.GetGrain<IUserGrain>(id).Notify(clientEvent); // one-way: returns at once
            return new JsonObject
            {
                ["broadcast_id"] = broadcastId,
                ["users"] = known.Count,
                ["unknown_users"] = new JsonArray(userIds.Except(known, StringComparer.Ordinal).Select(id => (JsonNode)id!).ToArray()),
            };
        }

        await registration.RegisterAsync();
        var results = await grains.GetGrain<IGatewayDirectoryGrain>(0).Broadcast(clientEvent);
        return new JsonObject
        {
            ["broadcast_id"] = broadcastId,
            ["connections"] = results.Sum(r => r.Connections),
            ["gateways"] = new JsonArray(results.OrderBy(r => r.Gateway, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
            {
                ["gateway"] = r.Gateway,
                ["reachable"] = r.Reachable,
                ["connections"] = r.Connections,
            }).ToArray()),
        };
    }

    private async Task<JsonNode?> SetStatusAsync(HttpContext context, int userStatus)
    {
        var profile = await BannedUsers.SetStatusAsync(grains, RouteUserId(context), userStatus);
        return new JsonObject { ["user"] = profile is null ? null : OpenApiUserEndpoints.UserJson(profile) };
    }

    private static string RouteUserId(HttpContext context)
    {
        var id = context.Request.RouteValues["user_id"] as string;
        if (!UserIds.IsValid(id))
            throw new ImException(ImErrorCodes.InvalidUserId, $"The user id in the path is not valid (1-{UserIds.MaxLength} letters, digits, '_' or '-').");
        return id!;
    }

    private static JsonArray DevicesJson(IEnumerable<DeviceInfo> devices) =>
        new(devices.OrderBy(d => d.DeviceType, StringComparer.Ordinal).Select(d => (JsonNode)new JsonObject
        {
            ["device_type"] = d.DeviceType,
            ["conn_id"] = d.ConnectionId,
            ["gateway"] = d.Gateway,
            ["connected_at"] = d.ConnectedAt,
            ["refreshed_at"] = d.RefreshedAt,
        }).ToArray());

    private static JsonObject Sum(IEnumerable<IReadOnlyDictionary<string, int>> counts)
    {
        var total = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in counts.SelectMany(c => c)) total[entry.Key] = total.GetValueOrDefault(entry.Key) + entry.Value;
        var json = new JsonObject();
        foreach (var (key, value) in total) json[key] = value;
        return json;
    }
}
