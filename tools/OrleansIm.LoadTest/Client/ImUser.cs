namespace OrleansIm.LoadTest.Client;

/// <summary>A user logged in through the login API, with the token its sockets present.</summary>
public sealed record ImUser(string Id, string Token, int Index);
