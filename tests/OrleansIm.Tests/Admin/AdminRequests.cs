using System.Net;
using System.Text.Json;
using OrleansIm.Tests.EndToEnd;

namespace OrleansIm.Tests.Admin;

/// <summary>Admin API calls over real HTTP: X-Admin-Key (unless null) and a JSON body.</summary>
public static class AdminRequests
{
    public static Task<(HttpStatusCode Status, JsonElement Body)> AdminAsync(this TestNode node, HttpMethod method, string path,
        object? body = null, string? key = AdminNodeFixture.AdminKey) =>
        node.SendAsync(method, path, body is null ? null : JsonSerializer.Serialize(body),
            key is null ? [] : [("X-Admin-Key", key)]);

    /// <summary>An admin call that must succeed (HTTP 200, code 0); returns its data.</summary>
    public static async Task<JsonElement> AdminOkAsync(this TestNode node, HttpMethod method, string path, object? body = null)
    {
        var (status, reply) = await node.AdminAsync(method, path, body);
        if (status != HttpStatusCode.OK || reply.GetProperty("code").GetInt32() != 0)
            throw new InvalidOperationException($"{method} {path}: {(int)status} {reply}");
        return reply.GetProperty("data");
    }

    public static async Task<int> OnlineConnectionsAsync(this TestNode node) =>
        (await node.AdminOkAsync(HttpMethod.Get, "/admin/v1/online")).GetProperty("connections").GetInt32();
}
