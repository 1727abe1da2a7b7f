using Guide.Domain.Organization;

namespace Guide.Api;

// Contracts of the guide workbench (/api/guide) and the HQ console (/api/admin). The mini program's live in
// miniprogram-contracts, because another team codes against them.

/// <summary>A member as a guide sees them: the phone is masked (138****8000), the rest is for care work.</summary>
public sealed record GuideMemberView(Guid Id, string? Nickname, string? MaskedPhone, string Gender, DateOnly? Birthday, int Level,
    Guid? ExclusiveGuideId, Guid? StoreId, DateTimeOffset RegisteredAt);

/// <summary>A member as HQ sees them.</summary>
public sealed record AdminMemberView(Guid Id, string? Nickname, string? Phone, string Gender, DateOnly? Birthday, int Level,
    Guid? ExclusiveGuideId, Guid? StoreId, bool UnionIdBound, DateTimeOffset RegisteredAt);

public sealed record PageView<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record GuideView(Guid Id, string WeComUserId, string Name, GuideRole Role, Guid StoreId, string StoreCode,
    string StoreName, string Area, IReadOnlyList<string> ManagedAreas, string? Mobile, bool Active);

public sealed record GuideSessionRequest(string Code);

public sealed record StaffSessionResponse(string AccessToken, string TokenType, long ExpiresIn, Guid Id, string Name, string Role);

public sealed record AdminSessionRequest(string UserName, string Password);

public sealed record StoreRequest(string Code, string Name, string Area);

public sealed record StoreUpdateRequest(string Name, string Area, bool Active);

public sealed record IntegrationClientRequest(string KeyId, string Name);

public sealed record MemberLookupRequest(string Phone);
