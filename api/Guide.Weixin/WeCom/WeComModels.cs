namespace Guide.Weixin.WeCom;

/// <summary>A customer as WeCom knows them. <see cref="Type"/>: 1 WeChat user, 2 WeCom user.</summary>
public sealed record WeComExternalContact(
    string ExternalUserId, string Name, int Type, int Gender, string? UnionId, string? Avatar,
    IReadOnlyList<WeComFollowUser> FollowUsers);

/// <summary>A guide following a customer; <see cref="State"/> is the contact way's state of the first add.</summary>
public sealed record WeComFollowUser(
    string UserId, DateTimeOffset CreateTime, string? State, int AddWay, string? Remark, IReadOnlyList<WeComTag> Tags);

public sealed record WeComTag(string? GroupName, string? TagName, string? TagId, int Type);

/// <summary>A customer group.</summary>
public sealed record WeComGroupChat(
    string ChatId, string? Name, string Owner, DateTimeOffset CreateTime, string? Notice,
    IReadOnlyList<WeComGroupMember> Members, string? MemberVersion);

/// <summary>A group member. <see cref="Type"/>: 1 corp member, 2 external contact.</summary>
public sealed record WeComGroupMember(
    string UserId, int Type, string? UnionId, DateTimeOffset JoinTime, int JoinScene, string? InvitorUserId,
    string? State, string? GroupNickname, string? Name)
{
    public bool IsExternal => Type == 2;
}

/// <summary>
/// Query of get_moment_list. <see cref="FilterType"/>: 0 posted by the corp, 1 by members, 2 all.
/// </summary>
public sealed record WeComMomentQuery(
    DateTimeOffset StartTime, DateTimeOffset EndTime, string? Creator = null, int FilterType = 2,
    string? Cursor = null, int Limit = 20);

public sealed record WeComMomentPage(IReadOnlyList<WeComMoment> Moments, string? NextCursor);

/// <summary>A moment. <see cref="CreateType"/>: 0 corp, 1 member.</summary>
public sealed record WeComMoment(string MomentId, string? Creator, DateTimeOffset CreateTime, int CreateType, int VisibleType, string? Text);

/// <summary>Comments and likes on one guide's copy of a moment.</summary>
public sealed record WeComMomentInteractions(IReadOnlyList<WeComMomentInteraction> Comments, IReadOnlyList<WeComMomentInteraction> Likes);

/// <summary>Who commented or liked: a customer (<see cref="ExternalUserId"/>) or a colleague (<see cref="UserId"/>).</summary>
public sealed record WeComMomentInteraction(string? ExternalUserId, string? UserId, DateTimeOffset CreateTime);

/// <summary>What the page passes to <c>wx.config</c> / <c>wx.agentConfig</c>.</summary>
public sealed record WeComJsSdkSignature(string CorpId, string? AgentId, long Timestamp, string NonceStr, string Signature);
