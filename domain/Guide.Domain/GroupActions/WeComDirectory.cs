namespace Guide.Domain.GroupActions;

/// <summary>
/// What the group actions need to read from WeCom (customer contact API); the API implements it with Guide.Weixin.
/// Never called inside a database transaction: read first, then apply what was read in a short command.
/// </summary>
public interface IWeComDirectory
{
    /// <summary><c>externalcontact/get</c>: the customer's unionid and name; null when WeCom does not know them (84061 and the like).</summary>
    Task<WeComCustomerFacts?> GetCustomerAsync(string externalUserId, CancellationToken cancellationToken);

    /// <summary><c>groupchat/get</c>: the group with its owner and members; null when WeCom no longer has it (dismissed).</summary>
    Task<WeComGroupFacts?> GetGroupAsync(string chatId, CancellationToken cancellationToken);

    /// <summary><c>get_moment_list</c>: one page (at most 20) of the moments created in [start, end] (at most 30 days).</summary>
    Task<WeComMomentPageFacts> GetMomentsAsync(DateTimeOffset start, DateTimeOffset end, string? cursor, CancellationToken cancellationToken);

    /// <summary><c>get_moment_comments</c>: the customers' likes and comments on one guide's copy of a moment.</summary>
    Task<WeComMomentInteractionFacts> GetMomentInteractionsAsync(string momentId, string guideUserId, CancellationToken cancellationToken);
}

public sealed record WeComCustomerFacts(string ExternalUserId, string? UnionId, string? Name);

public sealed record WeComGroupFacts(string ChatId, string? Name, string Owner, IReadOnlyList<WeComGroupMemberFacts> Members);

/// <summary>A group member; <see cref="Type"/> 1 corp member (a guide), 2 external contact (a customer).</summary>
public sealed record WeComGroupMemberFacts(string UserId, int Type, string? UnionId, DateTimeOffset JoinTime, int JoinScene)
{
    public bool IsExternal => Type == 2;
}

public sealed record WeComMomentPageFacts(IReadOnlyList<WeComMomentFacts> Moments, string? NextCursor);

/// <summary>A moment; <see cref="Creator"/> is the guide who posted it (null for one the corp posted).</summary>
public sealed record WeComMomentFacts(string MomentId, string? Creator, DateTimeOffset CreateTime);

/// <summary>Likes and comments by customers (colleagues' are left out by the reader).</summary>
public sealed record WeComMomentInteractionFacts(IReadOnlyList<WeComMomentInteractionFact> Likes, IReadOnlyList<WeComMomentInteractionFact> Comments);

public sealed record WeComMomentInteractionFact(string ExternalUserId, DateTimeOffset CreateTime);
