using OrleansIm.Runtime;

namespace OrleansIm.Grains.Interfaces;

/// <summary>A business error with an <see cref="ImErrorCodes"/> code; crosses grain calls intact.</summary>
public sealed class ImException(int code, string message) : Exception(message), ICodedException
{
    public int Code { get; } = code;
}
