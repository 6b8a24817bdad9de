using System.Text;
using System.Text.RegularExpressions;

namespace OrleansIm.Fuzz;

/// <summary>
/// Reads a node's console output as log entries (a "level: Category[id]" line and its indented lines) and keeps the
/// entries that show a problem: level fail or crit, "Unhandled" anywhere, or an exception stack trace ("   at X.Y(…)").
/// Entries of one race the fuzzer found are also counted by name (<see cref="KnownObserverRaces"/>): a grain's call
/// reaching the observer of a connection that was just cleaned up ("Unexpected target grain … IClientObserver"),
/// logged by Orleans at Error, and the call timing out in the grain. Fixed by ObserverRetirement; they fail a run like
/// any other problem. Every line also goes to <see cref="LogFile"/>.
/// </summary>
public sealed partial class NodeLogScanner : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<string> _suspicious = [];
    private readonly StreamWriter _file;
    private readonly List<string> _entry = [];

    public NodeLogScanner(string logFile)
    {
        LogFile = logFile;
        _file = new StreamWriter(logFile, append: false, Encoding.UTF8) { AutoFlush = true };
    }

    public string LogFile { get; }

    public int Lines { get; private set; }

    public int KnownObserverRaces { get; private set; }

    /// <summary>The problem entries, each as its lines joined by newlines.</summary>
    public IReadOnlyList<string> Suspicious
    {
        get
        {
            lock (_lock)
            {
                Flush();
                return _suspicious.ToList();
            }
        }
    }

    public void Add(string line)
    {
        lock (_lock)
        {
            Lines++;
            _file.WriteLine(line);
            if (EntryStart().IsMatch(line)) Flush();
            _entry.Add(line);
        }
    }

    private void Flush()
    {
        if (_entry.Count == 0) return;
        var text = string.Join("\n", _entry);
        _entry.Clear();
        var problem = text.StartsWith("fail:", StringComparison.Ordinal) || text.StartsWith("crit:", StringComparison.Ordinal) ||
                      text.Contains("Unhandled", StringComparison.OrdinalIgnoreCase) || StackFrame().IsMatch(text);
        if (!problem) return;
        // The observer race is a failure like any other since ObserverRetirement; it is still counted by name.
        if (IsObserverRace(text)) KnownObserverRaces++;
        _suspicious.Add(text);
    }

    /// <summary>
    /// Orleans drops a call to an observer that is no longer registered ("Unexpected target grain") and the caller's
    /// call then times out ("Response did not arrive on time"), which our grains log as a warning with the exception.
    /// </summary>
    private static bool IsObserverRace(string entry) =>
        entry.Contains("IClientObserver", StringComparison.Ordinal) &&
        (entry.Contains("Unexpected target grain in request: sys.client/hosted-", StringComparison.Ordinal) ||
         entry.Contains("Response did not arrive on time", StringComparison.Ordinal));

    public void Dispose()
    {
        lock (_lock)
        {
            Flush();
            _file.Dispose();
        }
    }

    [GeneratedRegex(@"^(trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex EntryStart();

    [GeneratedRegex(@"(?m)^\s+at \S+\(.*\)")]
    private static partial Regex StackFrame();
}
