using Microsoft.AspNetCore.Connections;

namespace OrleansIm.Runtime.Transport;

/// <summary>Kestrel entry point for inbound node-to-node connections; resolved from DI, so the host registers the <see cref="ConnectionManager"/>.</summary>
internal sealed class SiloConnectionHandler(ConnectionManager manager) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) => manager.HandleInboundAsync(connection);
}
