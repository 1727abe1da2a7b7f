namespace Guide.MiniProgram.Contracts;

public enum Gender
{
    Unknown,
    Male,
    Female,
}

/// <summary><c>GET /api/mp/me</c>: the member's own profile.</summary>
public sealed record MeResponse(
    Guid Id,
    string? Nickname,
    string? Phone,
    Gender Gender,
    DateOnly? Birthday,
    int Level,
    bool HasExclusiveGuide,
    DateTimeOffset RegisteredAt);

/// <summary><c>PUT /api/mp/me</c>: what the member may change themselves; a nickname or birthday left out (or null) is cleared.</summary>
public sealed record UpdateMeRequest(Gender Gender, string? Nickname = null, DateOnly? Birthday = null);
