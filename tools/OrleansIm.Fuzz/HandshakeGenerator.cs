namespace OrleansIm.Fuzz;

/// <summary>WebSocket handshakes with odd tokens, device types, user ids and subprotocols, in headers or the query.</summary>
public sealed class HandshakeGenerator(FuzzContext context)
{
    private static readonly string[] DeviceTypes = ["im_web", "im_app_ios", "", "IM_WEB", "im_toaster", "im_web\u00e9", "%00", new string('d', 300)];

    public HandshakeInput Generate(int index, Random random)
    {
        var stomp = random.Next(3) == 0;
        var token = random.Next(6) switch
        {
            0 => "",
            1 => context.VictimToken[..random.Next(context.VictimToken.Length)],
            2 => "Bearer " + new string('a', random.Next(1, 6000)),
            3 => "Bearer a.b.c",
            4 => context.VictimToken["Bearer ".Length..],
            _ => context.VictimToken,
        };
        var deviceType = WsFrameGenerator.Pick(random, DeviceTypes);
        var viaQuery = random.Next(2) == 0;
        var query = new List<string>();
        var headers = new List<(string, string)>();
        if (!stomp)
        {
            if (viaQuery)
            {
                if (random.Next(6) != 0) query.Add("token=" + Uri.EscapeDataString(token));
                if (random.Next(6) != 0) query.Add("deviceType=" + Uri.EscapeDataString(deviceType));
            }
            else
            {
                if (random.Next(6) != 0) headers.Add(("token", token));
                if (random.Next(6) != 0 && deviceType.All(c => c is > ' ' and < '\u007f')) headers.Add(("deviceType", deviceType));
            }
        }
        else
        {
            if (random.Next(2) == 0) query.Add("userId=" + Uri.EscapeDataString(WsFrameGenerator.Pick<string>(random, ["", "x", "%zz", context.VictimUserIds[0], new string('u', 200)])));
            if (random.Next(2) == 0) query.Add("deviceType=" + Uri.EscapeDataString(deviceType));
        }
        if (random.Next(6) == 0) query.Add(WsFrameGenerator.Pick<string>(random, ["%zz", "token", "=", "&&", "token=a&token=b"]));
        var subprotocols = random.Next(3) == 0 ? new List<string> { WsFrameGenerator.Pick<string>(random, ["v12.stomp", "v10.stomp", "chat", "v12.stomp,v11.stomp"]) } : [];
        var path = stomp ? "/imserver/ws" : "/ws";
        if (random.Next(3) == 0)
        {
            // The same request as bytes on a TCP connection, damaged: what the gateway's own head parser sees.
            var head = new System.Text.StringBuilder($"GET {path}{(query.Count > 0 ? "?" + string.Join("&", query) : "")} HTTP/1.1\r\nHost: fuzz\r\n")
                .Append("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n")
                .Append("Sec-WebSocket-Key: ").Append(Convert.ToBase64String(new ByteMutator(random).RandomBytes(16))).Append("\r\n");
            foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
            if (subprotocols.Count > 0) head.Append("Sec-WebSocket-Protocol: ").Append(subprotocols[0]).Append("\r\n");
            head.Append("\r\n");
            var bytes = System.Text.Encoding.UTF8.GetBytes(head.ToString());
            var raw = random.Next(5) == 0 ? bytes : new ByteMutator(random).Mutate(bytes);
            return new HandshakeInput(index, $"raw handshake {(stomp ? "stomp" : "ws")}", path, "", [], [], raw);
        }
        return new HandshakeInput(index, $"handshake {(stomp ? "stomp" : "ws")} via {(viaQuery ? "query" : "headers")}",
            path, string.Join("&", query), headers, subprotocols.Where(p => !p.Contains(',')).ToList());
    }
}
