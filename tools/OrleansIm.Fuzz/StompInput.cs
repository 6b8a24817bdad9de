namespace OrleansIm.Fuzz;

/// <summary>
/// Bytes for the STOMP socket <c>/imserver/ws</c>. <see cref="BeforeConnect"/>: sent as the first bytes of a new
/// socket (a fuzzed CONNECT); otherwise sent on a connected session, followed by two receipt-carrying sentinels.
/// </summary>
public sealed record StompInput(int Index, string Label, byte[] Payload, bool Binary, int Messages, bool BeforeConnect, string? Subprotocol)
    : FuzzInput(Index, Label)
{
    public override string Surface => "stomp";

    public override string Preview =>
        $"{(BeforeConnect ? "first frame" : "on a session")}, {(Binary ? "binary" : "text")} in {Messages} message(s), subprotocol {Subprotocol ?? "none"}: {Printable(Payload)}";
}
