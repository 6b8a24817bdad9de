using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansIm.Gateway.Sockets;
using Xunit;

namespace OrleansIm.Tests.Gateway;

public sealed class OutgoingFramesTests
{
    private static OutgoingFrames Queue(int maxFrames, long maxBytes, byte[]? notReadingFrame = null) =>
        new(new OutgoingLimits(maxFrames, maxBytes, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), NullLogger.Instance, "test", notReadingFrame);

    [Fact]
    public void A_frame_past_the_byte_limit_closes_with_1008_and_drops_what_was_queued()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10);
        Assert.True(queue.TryEnqueue(new byte[6]));
        Assert.True(queue.TryEnqueue(new byte[4]));
        Assert.Equal(10, queue.QueuedBytes);

        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.True(queue.IsClosing);
        Assert.Equal(WebSocketCloseCodes.NotReading, queue.CloseCode);
        Assert.Equal(0, queue.QueuedBytes);
        Assert.Equal(10, queue.PeakQueuedBytes);
        Assert.False(queue.TryEnqueue(new byte[1]));
    }

    [Fact]
    public void A_frame_bigger_than_the_limit_still_goes_onto_an_empty_queue()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10);
        Assert.True(queue.TryEnqueue(new byte[50]));
        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.Equal(WebSocketCloseCodes.NotReading, queue.CloseCode);
    }

    [Fact]
    public async Task The_frame_limit_applies_to_small_frames_once_a_send_is_stalled()
    {
        var queue = Queue(maxFrames: 2, maxBytes: 1000);
        var socket = new RecordingSocket { Gate = new TaskCompletionSource() };
        _ = queue.SendUntilClosedAsync(socket);
        Assert.True(queue.TryEnqueue([1])); // its send waits on the gate: the client's window is shut
        Assert.True(queue.TryEnqueue([2]));

        await Task.Delay(OutgoingFrames.StalledSendForFrameLimit + TimeSpan.FromMilliseconds(100));
        Assert.False(queue.TryEnqueue([3]));
        Assert.Equal(WebSocketCloseCodes.NotReading, queue.CloseCode);
    }

    [Fact]
    public void Past_the_frame_limit_a_queue_whose_sends_are_not_stalled_is_held_to_its_byte_limit_only()
    {
        // No send is waiting (the gateway is behind, not the client): frames past the frame limit are kept, up to the bytes.
        var queue = Queue(maxFrames: 2, maxBytes: 5);
        for (byte i = 1; i <= 5; i++) Assert.True(queue.TryEnqueue([i]));
        Assert.False(queue.IsClosing);
        Assert.Equal(5, queue.QueuedBytes);

        Assert.False(queue.TryEnqueue([6]));
        Assert.Equal(WebSocketCloseCodes.NotReading, queue.CloseCode);
    }

    [Fact]
    public void The_dialects_last_word_replaces_the_dropped_frames()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10, notReadingFrame: new byte[3]);
        Assert.True(queue.TryEnqueue(new byte[10]));
        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.Equal(3, queue.QueuedBytes);
    }

    [Fact]
    public void A_requested_close_keeps_its_own_code()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 10);
        queue.Close(WebSocketCloseCodes.Replaced, "replaced", new byte[20]);
        Assert.Equal(WebSocketCloseCodes.Replaced, queue.CloseCode);
        Assert.False(queue.TryEnqueue([1]));
        Assert.Equal(WebSocketCloseCodes.Replaced, queue.CloseCode);
    }

    [Fact]
    public async Task Frames_queued_before_the_socket_starts_go_first_then_the_close()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 1000);
        var socket = new RecordingSocket();
        Assert.True(queue.TryEnqueue([1]));
        Assert.True(queue.TryEnqueue([2]));

        var finished = queue.SendUntilClosedAsync(socket);
        Assert.True(queue.TryEnqueue([3]));
        queue.Close(WebSocketCloseCodes.Replaced, "replaced", [4]);
        await finished.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 2, 3, 4], socket.Sent.Select(f => (int)f[0]));
        Assert.Equal((WebSocketCloseStatus)WebSocketCloseCodes.Replaced, socket.ClosedWith);
        Assert.Equal(0, queue.QueuedBytes);
    }

    [Fact]
    public async Task Concurrent_senders_keep_their_own_order_while_a_send_waits()
    {
        var queue = Queue(maxFrames: 100_000, maxBytes: 10_000_000);
        var socket = new RecordingSocket();
        var finished = queue.SendUntilClosedAsync(socket);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.Gate = gate; // the first send waits

        const int senders = 8, frames = 500;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < frames; i++) Assert.True(queue.TryEnqueue(BitConverter.GetBytes(sender * 1_000_000 + i)));
        })).ToList();
        start.SetResult();
        await Task.WhenAll(work);
        gate.SetResult(); // the waiting send completes; the rest goes on on the thread pool
        queue.Close(WebSocketCloseCodes.Normal, "");
        await finished.WaitAsync(TimeSpan.FromSeconds(10));

        var sent = socket.Sent.Select(f => BitConverter.ToInt32(f)).ToList();
        Assert.Equal(senders * frames, sent.Count);
        foreach (var sender in Enumerable.Range(0, senders))
        {
            var own = sent.Where(v => v / 1_000_000 == sender).Select(v => v % 1_000_000).ToList();
            Assert.Equal(Enumerable.Range(0, frames), own);
        }
        Assert.Equal(0, queue.QueuedBytes);
    }

    [Fact]
    public async Task A_failed_send_ends_the_write_side_and_frees_the_queue()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 1000);
        var socket = new RecordingSocket { Fail = true };
        var finished = queue.SendUntilClosedAsync(socket);

        Assert.True(queue.TryEnqueue([1]));
        await finished.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(socket.Aborted);
        Assert.True(queue.IsClosing);
        Assert.False(queue.TryEnqueue([2]));
        Assert.Equal(0, queue.QueuedBytes);
    }

    [Fact]
    public async Task A_send_stalled_past_the_send_timeout_is_aborted_by_the_check_and_one_in_time_is_not()
    {
        var queue = Queue(maxFrames: 100, maxBytes: 1000);
        var socket = new RecordingSocket { Gate = new TaskCompletionSource() };
        var finished = queue.SendUntilClosedAsync(socket);
        var before = Environment.TickCount64;
        Assert.True(queue.TryEnqueue([1]));

        // The send waits on the gate. Checked within the 30 s send timeout: nothing happens; past it: aborted.
        queue.CheckSendTimeout(before + 29_000);
        Assert.False(socket.Aborted);
        queue.CheckSendTimeout(Environment.TickCount64 + 30_001);
        Assert.True(socket.Aborted);
        await finished.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, queue.QueuedBytes);

        // No send in progress: never aborted, however late the check.
        var idle = Queue(maxFrames: 100, maxBytes: 1000);
        var idleSocket = new RecordingSocket();
        _ = idle.SendUntilClosedAsync(idleSocket);
        Assert.True(idle.TryEnqueue([1]));
        await Eventually.True(() => idle.QueuedBytes == 0, because: "the send ended");
        idle.CheckSendTimeout(Environment.TickCount64 + 3_600_000);
        Assert.False(idleSocket.Aborted);
    }

    /// <summary>Records what is sent; a send can be made to wait on <see cref="Gate"/> (once, released with an error by an abort) or to fail.</summary>
    private sealed class RecordingSocket : WebSocket
    {
        private int _sending;
        private TaskCompletionSource? _waiting;

        public ConcurrentQueue<byte[]> SentQueue { get; } = new();
        public IEnumerable<byte[]> Sent => SentQueue;
        public TaskCompletionSource? Gate { get; set; }
        public bool Fail { get; init; }
        public bool Aborted { get; private set; }
        public WebSocketCloseStatus? ClosedWith { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => ClosedWith;
        public override string? CloseStatusDescription => null;
        public override WebSocketState State => Aborted ? WebSocketState.Aborted : ClosedWith is null ? WebSocketState.Open : WebSocketState.CloseSent;
        public override string? SubProtocol => null;

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            // Two sends at once would corrupt a real socket's framing.
            Assert.Equal(0, Interlocked.Exchange(ref _sending, 1));
            try
            {
                if (Fail) throw new WebSocketException("gone");
                SentQueue.Enqueue(buffer.ToArray());
                if (Gate is { } gate)
                {
                    Gate = null;
                    _waiting = gate;
                    await gate.Task;
                }
            }
            finally
            {
                Volatile.Write(ref _sending, 0);
            }
        }

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            ClosedWith = closeStatus;
            return Task.CompletedTask;
        }

        public override void Abort()
        {
            Aborted = true;
            _waiting?.TrySetException(new WebSocketException("aborted"));
        }
        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => throw new NotSupportedException();
        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();
        public override void Dispose() { }
    }
}
