using System.Text;

namespace OrleansIm.Fuzz;

/// <summary>An HTTP request to the REST API (seed 000 login, seed 003 /im, seed 001 call twins).</summary>
public sealed record HttpInput(int Index, string Label, string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers,
    byte[]? Body, string? ContentType) : FuzzInput(Index, Label)
{
    public override string Surface => "http";

    public override string Preview
    {
        get
        {
            var text = new StringBuilder($"{Method} {(PathAndQuery.Length > 200 ? PathAndQuery[..200] + "…" : PathAndQuery)}");
            foreach (var (name, value) in Headers) text.Append($" [{name}: {(value.Length > 60 ? value[..60] + "…" : value)}]");
            if (ContentType is not null) text.Append($" [Content-Type: {ContentType}]");
            if (Body is not null) text.Append(' ').Append(Printable(Body));
            return text.ToString();
        }
    }
}
