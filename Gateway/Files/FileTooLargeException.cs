namespace OrleansIm.Gateway.Files;

/// <summary>An upload went past <c>Gateway:Files:MaxFileBytes</c>; the store kept nothing of it.</summary>
public sealed class FileTooLargeException(long maxBytes) : Exception($"The file is larger than {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
