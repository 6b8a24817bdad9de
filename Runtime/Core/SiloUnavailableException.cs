namespace OrleansIm.Runtime;

/// <summary>
/// A call could not complete because the silo it went to is unreachable or died while the call was in
/// flight. The call may or may not have run; retry only what is idempotent (e.g. sends with a client message id).
/// </summary>
public sealed class SiloUnavailableException(string message) : Exception(message);
