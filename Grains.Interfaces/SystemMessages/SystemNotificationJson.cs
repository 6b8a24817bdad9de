using System.Buffers;
using System.Text.Json;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// The client JSON of a notification — <c>{id, type, from, to, target_id, ps, attach, state, read, time}</c> with
/// <c>attach</c> an object or null — written in one place for the grain's events and the gateway's replies.
/// </summary>
public static class SystemNotificationJson
{
    public static string Write(SystemNotification notification) => Write(w => WriteObject(w, notification));

    /// <summary><c>{"sysMsgs":[…]}</c>, the payload of <c>updateSystemMessages</c>.</summary>
    public static string WriteList(IEnumerable<SystemNotification> notifications) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("sysMsgs");
        foreach (var n in notifications) WriteObject(w, n);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static string WriteUnread(int unread) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("unread", unread);
        w.WriteEndObject();
    });

    public static void WriteObject(Utf8JsonWriter w, SystemNotification n)
    {
        w.WriteStartObject();
        w.WriteNumber("id", n.Id);
        w.WriteString("type", n.Type);
        w.WriteString("from", n.From);
        w.WriteString("to", n.To);
        w.WriteString("target_id", n.TargetId);
        w.WriteString("ps", n.Ps);
        w.WritePropertyName("attach");
        if (n.AttachJson is null) w.WriteNullValue();
        else w.WriteRawValue(n.AttachJson); // validated as a JSON object by the feature that posted it
        w.WriteString("state", n.State);
        w.WriteBoolean("read", n.Read);
        w.WriteNumber("time", n.Time);
        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
