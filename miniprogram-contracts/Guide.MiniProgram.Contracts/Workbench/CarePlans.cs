namespace Guide.MiniProgram.Contracts.Workbench;

// The care plans (客户关怀计划) of store and area managers: /api/guide/care-plans (issue 19, part 1).

/// <summary>JSON birthday_this_month, birthday_within_days, membership_anniversary, no_purchase_for_days, spent_at_least, purchases_at_least, days_after_purchase, imported_list.</summary>
public enum CarePlanTarget
{
    BirthdayThisMonth,
    BirthdayWithinDays,
    MembershipAnniversary,
    NoPurchaseForDays,
    SpentAtLeast,
    PurchasesAtLeast,
    DaysAfterPurchase,
    ImportedList,
}

/// <summary>JSON once, daily, monthly.</summary>
public enum CarePlanSchedule
{
    Once,
    Daily,
    Monthly,
}

/// <summary>JSON we_com_chat, phone, visit.</summary>
public enum CarePlanChannel
{
    WeComChat,
    Phone,
    Visit,
}

/// <summary>JSON coupon, points.</summary>
public enum CarePlanGift
{
    Coupon,
    Points,
}

/// <summary>JSON hq (HQ's plan: all stores or HQ's store filter) or manager.</summary>
public enum CarePlanOwnerKind
{
    Hq,
    Manager,
}

/// <summary>
/// <c>POST /api/guide/care-plans</c> and <c>PUT /api/guide/care-plans/{id}</c>: the terms of HQ's plans (targetKind and its numbers,
/// levels, schedule, issueTime HH:mm 07:00-23:00, deadlineDays 1-90, script, gift, channel). storeIds must be stores you manage;
/// empty: every store you manage now (saved as that list).
/// </summary>
public sealed record GuideCarePlanRequest(string? Name, CarePlanTarget? TargetKind, int? TargetDays = null, long? TargetAmount = null, int? TargetCount = null,
    IReadOnlyList<int>? Levels = null, IReadOnlyList<Guid>? StoreIds = null, CarePlanSchedule? Schedule = null, DateOnly? StartsOn = null,
    DateOnly? EndsOn = null, int? MonthDay = null, string? IssueTime = null, int? DeadlineDays = null, string? Script = null,
    CarePlanGift? GiftKind = null, string? GiftReference = null, long? GiftPoints = null, CarePlanChannel? Channel = null);

/// <summary>A plan as a manager sees it: <c>readOnly</c> for HQ's plans and other managers' that reach your stores.</summary>
public sealed record GuideCarePlanView(Guid Id, string Name, CarePlanOwnerKind Owner, Guid? OwnerGuideId, CarePlanTarget TargetKind, int? TargetDays,
    long? TargetAmount, int? TargetCount, IReadOnlyList<int> Levels, IReadOnlyList<Guid> StoreIds, CarePlanSchedule Schedule, DateOnly StartsOn,
    DateOnly? EndsOn, int? MonthDay, string IssueTime, int DeadlineDays, string Script, CarePlanGift? GiftKind, string? GiftReference,
    long? GiftPoints, CarePlanChannel Channel, bool Paused, int ListMembers, bool ReadOnly, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One page of plans.</summary>
public sealed record GuideCarePlanPage(IReadOnlyList<GuideCarePlanView> Items, int Page, int PageSize, int Total);

/// <summary>An imported list replaced: how many members it holds now.</summary>
public sealed record GuideCarePlanListResponse(Guid PlanId, int Members);
