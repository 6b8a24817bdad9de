namespace OrleansIm.Runtime.Messaging;

internal enum MessageDirection : byte
{
    Request = 1,
    Response = 2,
    OneWay = 3,
}
