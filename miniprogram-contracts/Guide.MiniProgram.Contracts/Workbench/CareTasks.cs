namespace Guide.MiniProgram.Contracts.Workbench;

// The guide workbench's care tasks (客户关怀): GET /api/guide/care-tasks, complete, abandon; managers: the team's tasks and urging.

/// <summary>JSON <c>we_com_chat</c>, <c>phone</c>, <c>visit</c>.</summary>
public enum CareTaskChannel
{
    WeComChat,
    Phone,
    Visit,
}

/// <summary>JSON <c>pending</c>, <c>completed</c>, <c>abandoned</c>, <c>expired</c>.</summary>
public enum CareTaskState
{
    Pending,
    Completed,
    Abandoned,
    Expired,
}

/// <summary>JSON <c>reached</c>, <c>unreachable</c>, <c>declined</c>.</summary>
public enum CareTaskOutcome
{
    Reached,
    Unreachable,
    Declined,
}

/// <summary>
/// The member of a task as the guide sees them: the phone masked (138****5678), the level (rank and name), the points balance,
/// the wallet (principal and gift, fen), the last sale (time and paid amount, fen) and the birthday.
/// </summary>
public sealed record CareMemberView(Guid Id, string? Nickname, string? MaskedPhone, int LevelRank, string? LevelName, long Points,
    long WalletPrincipal, long WalletGift, DateTimeOffset? LastPurchaseAt, long? LastPurchaseAmount, DateOnly? Birthday);

/// <summary>
/// One care task: its plan, the plan's channel, the period (<c>once</c>, <c>yyyy-MM-dd</c>, <c>yyyy-MM</c>), when it was issued and
/// when it is due (past its deadline once now >= dueAt), urging, how it was closed (outcome, channel, note; an abandon's reason is the
/// note), the member and the plan's script with {name}, {level}, {points} and {birthday} filled in.
/// </summary>
public sealed record CareTaskView(Guid Id, Guid PlanId, string PlanName, CareTaskChannel Channel, string Period, Guid? GuideId, Guid? StoreId,
    DateTimeOffset IssuedAt, DateTimeOffset DueAt, CareTaskState Status, DateTimeOffset? UrgedAt, int UrgeCount, DateTimeOffset? ClosedAt,
    CareTaskOutcome? Outcome, CareTaskChannel? CompletedChannel, string? Note, CareMemberView Member, string Script);

/// <summary>One page of care tasks.</summary>
public sealed record CareTaskPage(IReadOnlyList<CareTaskView> Items, int Page, int PageSize, int Total);

/// <summary><c>POST /api/guide/care-tasks/{id}/complete</c>: the outcome, the channel used and an optional note (500 characters).</summary>
public sealed record CareTaskCompleteRequest(CareTaskOutcome? Outcome, CareTaskChannel? Channel, string? Note = null);

/// <summary><c>POST /api/guide/care-tasks/{id}/abandon</c>: why (required, 500 characters).</summary>
public sealed record CareTaskAbandonRequest(string? Reason);
