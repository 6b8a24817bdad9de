using System.Text.Json;

namespace OrleansIm.LoadTest.Client;

/// <summary>The server's reply to one request frame: an ack (<see cref="Ok"/>) or an error frame with its code.</summary>
/// <param name="SendOrder">When the request went on the wire (<see cref="ImConnection.RequestAsync"/>).</param>
public sealed record Reply(bool Ok, string Type, JsonElement Data, int Code, string? Message, int RetryAfterMs, long SendOrder)
{
    public override string ToString() => Ok ? Type : $"error {Code} {Message}";
}
