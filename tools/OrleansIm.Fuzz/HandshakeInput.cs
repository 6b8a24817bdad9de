namespace OrleansIm.Fuzz;

/// <summary>
/// A WebSocket handshake to <c>/ws</c> or <c>/imserver/ws</c> with fuzzed headers, query and subprotocols; or, with
/// <see cref="RawHead"/>, the bytes of a damaged upgrade request written straight to a TCP connection (the gateway
/// reads upgrade heads itself, docs/security.md).
/// </summary>
public sealed record HandshakeInput(int Index, string Label, string Path, string Query, IReadOnlyList<(string Name, string Value)> Headers,
    IReadOnlyList<string> Subprotocols, byte[]? RawHead = null) : FuzzInput(Index, Label)
{
    public override string Surface => "handshake";

    public override string Preview => RawHead is not null
        ? "raw " + string.Concat(System.Text.Encoding.Latin1.GetString(RawHead[..Math.Min(RawHead.Length, 200)]).Select(c => c is >= ' ' and < '\u007f' ? c.ToString() : $"\\x{(int)c:x2}"))
        : $"{Path}?{(Query.Length > 200 ? Query[..200] + "…" : Query)} headers [{string.Join("; ", Headers.Select(h => $"{h.Name}: {(h.Value.Length > 60 ? h.Value[..60] + "…" : h.Value)}"))}] subprotocols [{string.Join(",", Subprotocols)}]";
}
