namespace OrleansIm.Runtime;

/// <summary>
/// A state write found a different ETag than the activation last read: someone else wrote in between.
/// The runtime drops the activation after the failing turn so the next call reloads fresh state.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message) : base(message) { }

    public InconsistentStateException(string message, string? storedEtag, string? currentEtag)
        : base($"{message} (stored ETag '{storedEtag ?? "<none>"}', activation ETag '{currentEtag ?? "<none>"}')")
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    public string? StoredEtag { get; }
    public string? CurrentEtag { get; }
}
