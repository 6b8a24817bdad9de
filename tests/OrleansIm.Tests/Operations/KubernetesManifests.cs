using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace OrleansIm.Tests.Operations;

/// <summary>
/// k8s/ rendered offline with <c>kubectl kustomize</c> and parsed with YamlDotNet, plus small helpers to walk the
/// objects. kubectl is a test prerequisite (README § Tests): without it the tests fail and say so.
/// </summary>
public sealed class KubernetesManifests
{
    private KubernetesManifests(string name, IReadOnlyList<YamlMappingNode> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public IReadOnlyList<YamlMappingNode> Objects { get; }

    public static string RepositoryRoot { get; } = FindRoot();

    /// <param name="path">Relative to k8s/, e.g. <c>overlays/dev</c>.</param>
    public static KubernetesManifests Render(string path)
    {
        var directory = Path.Combine(RepositoryRoot, "k8s", path);
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "kubectl is required to render k8s/ (`kubectl kustomize`, kubectl 1.27 or later with its built-in kustomize); " +
                "install it as README § Tests says. " + e.Message, e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill();
            if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {path} failed ({process.ExitCode}): {error.Result}");
            var stream = new YamlStream();
            stream.Load(new StringReader(output.Result));
            return new KubernetesManifests(path, stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList());
        }
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Objects.Where(o => Scalar(o, "kind") == kind);

    public YamlMappingNode? Find(string kind, string name) => OfKind(kind).FirstOrDefault(o => Scalar(o, "metadata", "name") == name);

    public YamlMappingNode Get(string kind, string name) =>
        Find(kind, name) ?? throw new InvalidOperationException($"{Name}: no {kind} {name}");

    public static YamlNode? Node(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    public static string? Scalar(YamlNode? node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    public static int? Int(YamlNode? node, params string[] path) => Scalar(node, path) is { } s ? int.Parse(s) : null;

    public static IEnumerable<YamlMappingNode> Items(YamlNode? node, params string[] path) =>
        Node(node, path) is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];

    public static IEnumerable<(string Key, string Value)> Pairs(YamlNode? node, params string[] path) =>
        Node(node, path) is YamlMappingNode map
            ? map.Children.Select(c => (((YamlScalarNode)c.Key).Value!, (c.Value as YamlScalarNode)?.Value ?? ""))
            : [];

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansIm.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("OrleansIm.sln not found above " + AppContext.BaseDirectory);
    }
}
