namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// A business error with an <see cref="ImErrorCodes"/> code. Generated serializer: Orleans carries only
/// System/Microsoft exceptions faithfully by default, so without it the code would arrive as 0 across silos.
/// </summary>
[GenerateSerializer, Alias("im.ImException")]
public sealed class ImException(int code, string message) : Exception(message)
{
    [Id(0)]
    public int Code { get; private set; } = code;

    /// <summary>
    /// 4003, worded the same whether the conversation exists or not: what a user is told about a conversation they are
    /// not in, so that nobody learns which conversations exist (private conversation ids are predictable).
    /// </summary>
    public static ImException NotMember(string userId, string convId) =>
        new(ImErrorCodes.NotMember, $"'{userId}' is not a member of conversation '{convId}'.");
}
