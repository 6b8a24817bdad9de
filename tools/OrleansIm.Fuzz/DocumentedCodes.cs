using System.Reflection;
using OrleansIm.Gateway.Http;
using OrleansIm.Gateway.Sockets;
using OrleansIm.Gateway.Stomp;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Fuzz;

/// <summary>
/// The codes the server documents, read from its own constants (ImErrorCodes, WebSocketCloseCodes, StompCloseCodes,
/// StompErrorCodes, ApiStatusCodes) plus the few docs name without a constant. Internal-error codes are documented
/// too, but the fuzzer counts each one as a failure: bad input must get a specific answer.
/// </summary>
public static class DocumentedCodes
{
    /// <summary>Business codes in /ws error frames and REST envelopes.</summary>
    public static readonly IReadOnlySet<int> Business = ConstantsOf(typeof(ImErrorCodes));

    /// <summary>Envelope codes of seed 000 login (200, 401) and seed 001 call twins (HTTP-style), docs/protocol.md §1 and §8.</summary>
    public static readonly IReadOnlySet<int> Envelope = new HashSet<int>(Business) { 200, 400, 401, 403, 404, 409, 500 };

    /// <summary>
    /// HTTP statuses: those ApiStatusCodes maps business codes to, those the seed 000/001 envelopes use, and what ASP.NET Core
    /// and Kestrel answer before our code runs (no route 404, wrong method 405, headers too large 431, URL too long 414).
    /// </summary>
    public static readonly IReadOnlySet<int> HttpStatuses =
        new HashSet<int>(Business.Select(ApiStatusCodes.ForCode)) { 200, 400, 401, 403, 404, 409, 405, 414, 431 };

    /// <summary>Close codes of both sockets (docs/protocol.md §3, docs/stomp.md), 1011 and 1013 being STOMP's without a constant.</summary>
    public static readonly IReadOnlySet<int> CloseCodes =
        new HashSet<int>(ConstantsOf(typeof(WebSocketCloseCodes)).Concat(ConstantsOf(typeof(StompCloseCodes)))) { 1011, 1013 };

    /// <summary>Codes on STOMP's /user/queue/errors: StompErrorCodes and the call codes passed through from grains.</summary>
    public static readonly IReadOnlySet<int> StompErrorQueue =
        new HashSet<int>(ConstantsOf(typeof(StompErrorCodes))) { 400, 403, 404, 409, ImErrorCodes.CalleeBusy, ImErrorCodes.Unavailable };

    /// <summary>Handshake answers: upgraded, or refused before the upgrade (docs/protocol.md §3).</summary>
    public static readonly IReadOnlySet<int> HandshakeStatuses = new HashSet<int> { 101, 400, 401, 403 };

    /// <summary>
    /// Answers to damaged upgrade bytes: the gateway's head parser (400, 408, 414, 431), the endpoints (101, 401, 403),
    /// or — once the damage made it another request — Kestrel's HTTP/1 (404, 405, 505); 0 = closed without an answer
    /// (nothing that could be a request was sent before the end of the stream).
    /// </summary>
    public static readonly IReadOnlySet<int> RawHandshakeStatuses = new HashSet<int> { 0, 101, 400, 401, 403, 404, 405, 408, 414, 431, 505 };

    /// <summary>Documented, but a sign of a bug when bad input causes them: internal error (1, 500, 1011) or unavailable on a healthy node.</summary>
    public static readonly IReadOnlySet<int> Failures = new HashSet<int> { ImErrorCodes.Internal, 500, 1011, 503, ImErrorCodes.Unavailable };

    private static HashSet<int> ConstantsOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (int)f.GetRawConstantValue()!)
            .ToHashSet();
}
