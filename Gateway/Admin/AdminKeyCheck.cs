namespace OrleansIm.Gateway.Admin;

/// <summary>A verdict of <see cref="AdminKeyGate"/>, with how long to wait when <see cref="AdminKeyVerdict.Locked"/>.</summary>
public readonly record struct AdminKeyCheck(AdminKeyVerdict Verdict, TimeSpan RetryAfter);
