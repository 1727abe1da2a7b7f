namespace Guide.Weixin.Fake;

/// <summary>A customer the fake's WeCom knows. <see cref="Type"/>: 1 WeChat, 2 WeCom.</summary>
public sealed record FakeExternalContact(string ExternalUserId, string Name, int Type = 1, int Gender = 0, string? UnionId = null)
{
    public IReadOnlyList<FakeFollowUser> FollowUsers { get; init; } = [];
}

public sealed record FakeFollowUser(string UserId, DateTimeOffset CreateTime, string? State = null, int AddWay = 1, string? Remark = null);

/// <summary>A customer group of the fake.</summary>
public sealed record FakeGroupChat(string ChatId, string Name, string Owner)
{
    public IReadOnlyList<FakeGroupMember> Members { get; init; } = [];
    public DateTimeOffset CreateTime { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A group member. <see cref="Type"/>: 1 corp member, 2 external contact.</summary>
public sealed record FakeGroupMember(string UserId, int Type, DateTimeOffset JoinTime, int JoinScene = 1,
    string? UnionId = null, string? InvitorUserId = null, string? State = null);

/// <summary>A moment with the comments and likes on it.</summary>
public sealed record FakeMoment(string MomentId, string Creator, DateTimeOffset CreateTime, string? Text = null, int CreateType = 1)
{
    public IReadOnlyList<FakeMomentInteraction> Comments { get; init; } = [];
    public IReadOnlyList<FakeMomentInteraction> Likes { get; init; } = [];
}

public sealed record FakeMomentInteraction(string? ExternalUserId, string? UserId, DateTimeOffset CreateTime);

/// <summary>A subscribe message the fake accepted.</summary>
public sealed record FakeSubscribeMessage(string ToUser, string TemplateId, string? Page, string MiniProgramState,
    IReadOnlyDictionary<string, string> Data);
