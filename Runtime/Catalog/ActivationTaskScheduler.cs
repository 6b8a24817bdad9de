using System.Collections.Concurrent;

namespace OrleansIm.Runtime.Catalog;

/// <summary>
/// Runs the tasks of one activation strictly one after another on the thread pool. Grain code's await
/// continuations are queued here (they capture TaskScheduler.Current), so a turn's code is single-threaded,
/// as in Orleans, even though it may hop threads between awaits.
/// </summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<Task> _queue = new();
    private int _running;

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task)
    {
        _queue.Enqueue(task);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            while (_queue.TryDequeue(out var task)) TryExecuteTask(task);
            Volatile.Write(ref _running, 0);
            // A task queued between the last dequeue and the reset must not be stranded.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
        }
    }

    // Never inline: inlining could run a task concurrently with the one this scheduler is executing.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();
}
