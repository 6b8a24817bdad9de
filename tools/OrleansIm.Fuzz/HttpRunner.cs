using System.Net.Http.Headers;
using System.Text.Json;

namespace OrleansIm.Fuzz;

/// <summary>Sends REST inputs and checks the HTTP status and the envelope's <c>code</c>.</summary>
public sealed class HttpRunner(HttpClient http, FuzzReport report)
{
    public async Task RunAsync(HttpInput input)
    {
        using var request = new HttpRequestMessage(new HttpMethod(input.Method), input.PathAndQuery);
        try
        {
            foreach (var (name, value) in input.Headers) request.Headers.TryAddWithoutValidation(name, value);
            if (input.Body is not null)
            {
                request.Content = new ByteArrayContent(input.Body);
                if (!string.IsNullOrEmpty(input.ContentType) && MediaTypeHeaderValue.TryParse(input.ContentType, out var type))
                    request.Content.Headers.ContentType = type;
                else if (input.ContentType is { Length: > 0 }) request.Content.Headers.TryAddWithoutValidation("Content-Type", input.ContentType);
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            report.Code(input, "http skipped (client refused to build it)", 0, new HashSet<int> { 0 });
            return;
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (TaskCanceledException)
        {
            report.Fail(input, $"no response within {http.Timeout.TotalSeconds:F0} s");
            return;
        }
        catch (HttpRequestException) when (AnsweredBeforeItsBody(input))
        {
            // Kestrel refuses the headers (431) and closes at once; the client, still sending a large body, fails on
            // the reset and never reads that answer. A documented early refusal, not a server fault.
            report.Code(input, "http closed early (headers past Kestrel's limit, large body)", 431, new HashSet<int> { 431 });
            return;
        }
        catch (HttpRequestException e)
        {
            report.Fail(input, $"connection failed without a response: {e.Message}");
            return;
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            report.Code(input, "http status", status, DocumentedCodes.HttpStatuses);
            var body = await response.Content.ReadAsByteArrayAsync();
            report.Trace?.Invoke($"response {status}: {FuzzInput.Printable(body, 500)}");
            if (body.Length == 0) return;
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) && code.TryGetInt32(out var value))
                    report.Code(input, "http body code", value, DocumentedCodes.Envelope);
                else if (status != 200) report.Fail(input, $"HTTP {status} without an envelope code: {FuzzInput.Printable(body)}");
            }
            catch (JsonException)
            {
                report.Fail(input, $"HTTP {status} with a body that is not JSON: {FuzzInput.Printable(body)}");
            }
        }
    }

    /// <summary>Headers past Kestrel's 32 KiB total and a body too large to be sent before the 431 and the close arrive.</summary>
    private static bool AnsweredBeforeItsBody(HttpInput input) =>
        input.Headers.Sum(h => h.Name.Length + h.Value.Length) > 32 * 1024 && input.Body is { Length: > 64 * 1024 };
}
