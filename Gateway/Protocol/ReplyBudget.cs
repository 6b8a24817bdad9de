using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Protocol;

/// <summary>
/// The message bytes one reply may still spend (<see cref="GatewayOptions.MaxReplyBytes"/>), measured as the
/// messages serialize. Messages are taken in order while they fit; the first message of a reply is always taken,
/// so a client that pages on always progresses, whatever the size of one message.
/// </summary>
public sealed class ReplyBudget(int maxBytes)
{
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private long _remaining = maxBytes;
    private bool _tookAny;

    /// <summary>True once a message was left out for lack of bytes; the reply says so in <c>truncated</c>.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The push rows of the leading <paramref name="messages"/> that fit; <paramref name="cut"/> says whether some were left out.</summary>
    public JsonArray Take(IReadOnlyList<ChatMessage> messages, out bool cut)
    {
        var rows = new JsonArray();
        cut = false;
        foreach (var message in messages)
        {
            if (Truncated)
            {
                // Spent: later conversations of the same reply wait for the next page too.
                cut = true;
                break;
            }
            var row = MessageJson.ToPush(message);
            var size = Measure(row);
            if (_tookAny && size > _remaining)
            {
                cut = true;
                Truncated = true;
                break;
            }
            _remaining -= size;
            _tookAny = true;
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// The leading <paramref name="rows"/> that fit, for sync sections whose rows are not messages (notifications,
    /// friends, teams): same rule — in order while they fit, the reply's first row always.
    /// </summary>
    public JsonArray TakeRows(IEnumerable<JsonNode> rows, out bool cut)
    {
        var taken = new JsonArray();
        cut = false;
        foreach (var row in rows)
        {
            var size = Measure(row);
            if (Truncated || (_tookAny && size > _remaining))
            {
                cut = true;
                Truncated = true;
                break;
            }
            _remaining -= size;
            _tookAny = true;
            taken.Add(row);
        }
        return taken;
    }

    private long Measure(JsonNode row)
    {
        _scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_scratch, new JsonWriterOptions { Encoder = GatewayJson.Options.Encoder }))
        {
            row.WriteTo(writer, GatewayJson.Options);
        }
        return _scratch.WrittenCount;
    }
}
