namespace OrleansIm.Fuzz;

/// <summary>A WebSocket message for <c>/ws</c>, sent as text (or binary) in <see cref="Fragments"/> frames.</summary>
public sealed record WsFrameInput(int Index, string Label, byte[] Payload, bool Binary, int Fragments) : FuzzInput(Index, Label)
{
    public override string Surface => "ws";

    public override string Preview => $"{(Binary ? "binary" : "text")} in {Fragments} frame(s): {Printable(Payload)}";
}
