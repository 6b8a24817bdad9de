using Microsoft.Extensions.Logging;

namespace OrleansIm.Grains;

/// <summary>
/// Calls a grain makes without awaiting them (pushes, one-way notices, releases that must not close a call cycle):
/// a failure has nobody to go to, so it is logged and never thrown, whether the call fails at once or later.
/// </summary>
internal static class FireAndForget
{
    /// <param name="template">A log message template saying what failed, e.g. "Conversation {ConvId}: delivering seq {Seq} to {UserId} failed."</param>
    /// <param name="args">The template's values; formatted only if the call fails (this runs once per member per message).</param>
    public static void Run(Func<Task> call, ILogger logger, LogLevel level, string template, params object?[] args)
    {
        Task task;
        try
        {
            task = call();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }
        if (task.IsCompletedSuccessfully) return;
        _ = task.ContinueWith(
#pragma warning disable CA2254 // the template is a constant at every call site
            t => logger.Log(level, t.Exception, template, args),
#pragma warning restore CA2254
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
