// `dotnet run --project Silo`: with no configuration a standalone node (silo + gateway on SQLite under ./data)
// serves ws://0.0.0.0:9688/ws and the REST API. With OrleansIm:Mode=silo it is a cluster member on PostgreSQL.
using OrleansIm.Silo;

var mode = NodeMode.Read(args);
IHost node = mode switch
{
    NodeMode.Standalone => StandaloneNode.Build(args),
    NodeMode.Silo => ClusterSiloNode.Build(args),
    _ => throw new InvalidOperationException($"OrleansIm:Mode must be '{NodeMode.Standalone}' or '{NodeMode.Silo}' (the Gateway executable runs gateways), not '{mode}'."),
};
node.Run();
