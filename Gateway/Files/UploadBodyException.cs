namespace OrleansIm.Gateway.Files;

/// <summary>Reading the client's upload failed (malformed multipart, body too large, connection gone); the inner exception says how.</summary>
public sealed class UploadBodyException(Exception inner) : Exception("Reading the upload failed.", inner);
