namespace OrleansIm.Fuzz;

/// <summary>Input <c>i</c> of a seed: its own Random seeded from (seed, i), so it is the same in every run and replays alone.</summary>
public sealed class InputGenerator(FuzzContext context, int seed)
{
    private readonly WsFrameGenerator _ws = new(context);
    private readonly StompFrameGenerator _stomp = new(context);
    private readonly HttpRequestGenerator _http = new(context);
    private readonly HandshakeGenerator _handshake = new(context);

    public FuzzInput Generate(int index)
    {
        var random = new Random(HashCode(seed, index));
        var surface = random.Next(100);
        return surface switch
        {
            < 40 => _ws.Generate(index, random),
            < 65 => _stomp.Generate(index, random),
            < 95 => _http.Generate(index, random),
            _ => _handshake.Generate(index, random),
        };
    }

    /// <summary>A stable mix of the two (HashCode.Combine is randomized per process, so it cannot be used).</summary>
    private static int HashCode(int seed, int index) => unchecked((int)((uint)seed * 2654435761u ^ (uint)index * 40503u + 0x9E3779B9u));
}
