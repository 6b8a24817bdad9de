using System.Globalization;
using System.Text;

namespace OrleansIm.Gateway.Stomp;

/// <summary>Builds ERROR frames: a short <c>message</c> header, optional extra headers, and a body.</summary>
public static class StompErrors
{
    /// <summary>The <c>message</c> header of the ERROR frame a draining gateway sends before close 4503.</summary>
    public const string DrainingMessage = "server draining";

    public static StompFrame Frame(string message, string? detail = null, string? receiptId = null)
    {
        var extra = receiptId is null ? [] : new[] { (StompHeaders.ReceiptId, receiptId) };
        return Frame(message, Encoding.UTF8.GetBytes(detail ?? message), "text/plain", extra);
    }

    public static StompFrame Frame(string message, byte[] body, string contentType, params (string Name, string Value)[] extra)
    {
        var headers = new List<KeyValuePair<string, string>> { KeyValuePair.Create(StompHeaders.Message, message) };
        headers.AddRange(extra.Select(h => KeyValuePair.Create(h.Name, h.Value)));
        headers.Add(KeyValuePair.Create(StompHeaders.ContentType, contentType));
        headers.Add(KeyValuePair.Create(StompHeaders.ContentLength, body.Length.ToString(CultureInfo.InvariantCulture)));
        return new StompFrame(StompCommands.Error, headers, body);
    }
}
