namespace OrleansIm.Runtime.Serialization;

/// <summary>What crosses the call boundary of a failed call.</summary>
internal sealed record ExceptionInfo(string Type, string Message, int? Code, string? StackTrace);
