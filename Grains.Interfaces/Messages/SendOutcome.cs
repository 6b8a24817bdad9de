using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>One message's outcome in a batch send: its ack, or the error (an <see cref="ImErrorCodes"/> code) that a single send would have thrown.</summary>
[GenerateSerializer, Immutable, Alias("im.SendOutcome")]
public sealed record SendOutcome(SendResult? Result, int ErrorCode, string? ErrorMessage)
{
    public static SendOutcome Ok(SendResult result) => new(result, 0, null);

    public static SendOutcome Failed(int code, string message) => new(null, code, message);

    /// <summary>For a failed outcome: the same <see cref="ImException"/> a single send would have thrown.</summary>
    public ImException ToException() => new(ErrorCode, ErrorMessage ?? "Send failed.");
}
