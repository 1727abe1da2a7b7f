using Guide.Domain.Care;

namespace Guide.Api;

// --- care plans (issue 19, part 1) ------------------------------------------------------------------------

/// <summary>
/// <c>POST /api/admin/care-plans</c> and <c>PUT /api/admin/care-plans/{id}</c> (every term replaced). targetKind birthday_this_month,
/// birthday_within_days (targetDays 0-365), membership_anniversary, no_purchase_for_days (targetDays 1-3650), spent_at_least
/// (targetAmount fen 1-10,000,000,000 in the last targetDays 1-3650), purchases_at_least (targetCount 1-10,000 in the last targetDays),
/// days_after_purchase (targetDays 1-3650) or imported_list (members by CSV: POST .../members); numbers a kind does not take are refused.
/// levels: member level ranks (0: no level; empty: all); storeIds (empty: all stores for HQ's plan; a manager's plan names its stores).
/// schedule once (startsOn required), daily or monthly (monthDay 1-31); startsOn (default today) and endsOn inclusive, brand dates;
/// issueTime HH:mm brand time 07:00-23:00; deadlineDays 1-90; script up to 1000 characters with {name} {level} {points} {birthday};
/// gift: none, coupon (giftReference, 1-64 characters) or points (giftPoints 1-1,000,000); channel we_com_chat, phone or visit.
/// Pause and resume are their own actions.
/// </summary>
public sealed record CarePlanRequest(string? Name, CareTargetKind? TargetKind, int? TargetDays = null, long? TargetAmount = null, int? TargetCount = null,
    IReadOnlyList<int>? Levels = null, IReadOnlyList<Guid>? StoreIds = null, CareSchedule? Schedule = null, DateOnly? StartsOn = null,
    DateOnly? EndsOn = null, int? MonthDay = null, string? IssueTime = null, int? DeadlineDays = null, string? Script = null,
    CareGiftKind? GiftKind = null, string? GiftReference = null, long? GiftPoints = null, CareChannel? Channel = null)
{
    public CarePlanTerms ToTerms() => new(Name, TargetKind, TargetDays, TargetAmount, TargetCount, Levels, StoreIds, Schedule, StartsOn, EndsOn,
        MonthDay, IssueTime, DeadlineDays, Script, GiftKind, GiftReference, GiftPoints, Channel);
}
