namespace OrleansIm.Gateway.Files;

/// <summary>
/// The file's section of the request body as the store reads it: a failure to read (the client's fault) comes out as
/// <see cref="UploadBodyException"/>, so it is told apart from the store's own failures (disk, database).
/// </summary>
public sealed class UploadBodyStream(Stream body) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UploadBodyException(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return body.Read(buffer, offset, count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UploadBodyException(e);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
