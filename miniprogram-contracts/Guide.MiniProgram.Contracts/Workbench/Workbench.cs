namespace Guide.MiniProgram.Contracts.Workbench;

// The guide workbench (/api/guide), opened inside WeCom by store guides and their managers.

/// <summary><c>POST /api/guide/session</c>: the code of WeCom's OAuth redirect.</summary>
public sealed record GuideSessionRequest(string Code);

/// <summary>A bearer token for <c>/api/guide</c>; <see cref="Role"/> is <c>guide</c>, <c>store_manager</c> or <c>area_manager</c>.</summary>
public sealed record GuideSessionResponse(string AccessToken, string TokenType, long ExpiresIn, Guid Id, string Name, string Role);

/// <summary>JSON <c>guide</c>, <c>store_manager</c>, <c>area_manager</c>.</summary>
public enum GuideRole
{
    Guide,
    StoreManager,
    AreaManager,
}

/// <summary><c>GET /api/guide/me</c> (and the team list): a guide, their store and, for an area manager, their areas.</summary>
public sealed record GuideView(Guid Id, string WeComUserId, string Name, GuideRole Role, Guid StoreId, string StoreCode,
    string StoreName, string Area, IReadOnlyList<string> ManagedAreas, string? Mobile, bool Active);

/// <summary>A member as a guide sees them: the phone is masked (138****8000), the rest is for care work.</summary>
public sealed record GuideMemberView(Guid Id, string? Nickname, string? MaskedPhone, string Gender, DateOnly? Birthday, int Level,
    Guid? ExclusiveGuideId, Guid? StoreId, DateTimeOffset RegisteredAt);

/// <summary><c>GET /api/guide/members</c>: one page of the members of the guide's stores.</summary>
public sealed record GuideMemberPage(IReadOnlyList<GuideMemberView> Items, int Page, int PageSize, int Total);

/// <summary><c>POST /api/guide/mall/pickups</c>: the verification code the member shows.</summary>
public sealed record MallPickupRequest(string Code);

/// <summary>A points-mall redemption handed out at the guide's store.</summary>
public sealed record MallPickupResponse(Guid RedemptionId, Guid MemberId, string ItemName, int Quantity, DateTimeOffset PickedUpAt);

/// <summary>JSON <c>waiting</c> (not put aside yet) or <c>ready</c> (put aside at the guide's store, not handed out yet).</summary>
public enum MallPickupState
{
    Waiting,
    Ready,
}

/// <summary>
/// A pickup redemption on the counter list (<c>GET /api/guide/mall/pickups</c>, <c>POST /api/guide/mall/pickups/{id}/ready</c>): the member
/// (nickname, masked phone), the item and quantity, when it was redeemed and, once put aside, when and at which store. The verification
/// code is not listed: the member shows it at the counter.
/// </summary>
public sealed record MallPickupView(Guid Id, Guid MemberId, string? Nickname, string? MaskedPhone, Guid ItemId, string ItemName, int Quantity, Guid? StoreId,
    MallPickupState Status, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt, Guid? ReadyAtStoreId);

/// <summary>One page of the counter list.</summary>
public sealed record MallPickupPage(IReadOnlyList<MallPickupView> Items, int Page, int PageSize, int Total);
