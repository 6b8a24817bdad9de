using System.Text.RegularExpressions;

namespace OrleansIm.Fuzz;

/// <summary>
/// Reads a node's console output and keeps the lines that show an unhandled exception or an error log:
/// "Unhandled", the console logger's "fail:" and "crit:" prefixes, and stack-trace lines ("   at X.Y(…)").
/// </summary>
public sealed partial class NodeLogScanner
{
    private readonly Lock _lock = new();
    private readonly List<string> _suspicious = [];
    private int _keepNext;

    public int Lines { get; private set; }

    public IReadOnlyList<string> Suspicious
    {
        get { lock (_lock) return _suspicious.ToList(); }
    }

    public void Add(string line)
    {
        lock (_lock)
        {
            Lines++;
            if (IsSuspicious(line))
            {
                _suspicious.Add(line);
                // The console logger writes the message on the line after "fail: Category[id]".
                if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)) _keepNext = 1;
            }
            else if (_keepNext > 0)
            {
                _keepNext--;
                _suspicious.Add(line);
            }
        }
    }

    public static bool IsSuspicious(string line) =>
        line.Contains("Unhandled", StringComparison.OrdinalIgnoreCase) || line.StartsWith("fail:", StringComparison.Ordinal) ||
        line.StartsWith("crit:", StringComparison.Ordinal) || StackFrame().IsMatch(line);

    [GeneratedRegex(@"^\s+at \S+\(.*\)")]
    private static partial Regex StackFrame();
}
