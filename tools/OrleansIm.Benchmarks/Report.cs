namespace OrleansIm.Benchmarks;

/// <summary>Prints result lines (and keeps them for a final summary).</summary>
public static class Report
{
    private static readonly List<string> Lines = [];

    public static void Line(string line)
    {
        Lines.Add(line);
        Console.WriteLine(line);
    }

    public static IReadOnlyList<string> All => Lines;
}
