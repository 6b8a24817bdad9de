namespace OrleansIm.Fuzz;

/// <summary>A WebSocket handshake to <c>/ws</c> or <c>/imserver/ws</c> with fuzzed headers, query and subprotocols.</summary>
public sealed record HandshakeInput(int Index, string Label, string Path, string Query, IReadOnlyList<(string Name, string Value)> Headers,
    IReadOnlyList<string> Subprotocols) : FuzzInput(Index, Label)
{
    public override string Surface => "handshake";

    public override string Preview =>
        $"{Path}?{(Query.Length > 200 ? Query[..200] + "…" : Query)} headers [{string.Join("; ", Headers.Select(h => $"{h.Name}: {(h.Value.Length > 60 ? h.Value[..60] + "…" : h.Value)}"))}] subprotocols [{string.Join(",", Subprotocols)}]";
}
