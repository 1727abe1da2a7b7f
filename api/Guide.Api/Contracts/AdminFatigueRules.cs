using Guide.Domain.Messaging;

namespace Guide.Api;

// --- fatigue rules (issue 20) -----------------------------------------------------------------------------

/// <summary>
/// <c>PUT /api/admin/fatigue-rules</c>: the whole document, with the <c>version</c> it was read at (a stale one is refused with 409).
/// windows: each at most <c>max</c> capped messages in <c>days</c> (1-366) days, <c>kind</c> rolling (the last days×24 hours) or calendar
/// (today and the days-1 brand days before), on one <c>channel</c> (subscribe, we_com, sms) or, without one, across all channels; every
/// window applies. quietHours: brand time HH:mm, a start after the end wraps midnight, action postpone or drop (null: none).
/// holidays: name, from and to (brand dates, inclusive), action postpone (until the day after) or drop. whitelist: member ids that
/// skip the windows (not WeCom's monthly limit, not quiet hours, not consent). capAccountMessages: cap points and wallet messages too.
/// </summary>
public sealed record FatigueRulesRequest(IReadOnlyList<FatigueWindowRequest?>? Windows, QuietHoursRequest? QuietHours,
    IReadOnlyList<DoNotDisturbPeriodRequest?>? Holidays, IReadOnlyList<Guid>? Whitelist, bool? CapAccountMessages, int? Version)
{
    public UpdateFatigueRules ToCommand(string updatedBy) => new(
        Windows?.Select(w => w is null ? null : new FatigueWindowInput(w.Channel, w.Max, w.Days, w.Kind)).ToList(),
        QuietHours is { } q ? new QuietHoursInput(q.Start, q.End, q.Action) : null,
        Holidays?.Select(h => h is null ? null : new DoNotDisturbPeriodInput(h.Name, h.From, h.To, h.Action)).ToList(),
        Whitelist, CapAccountMessages, Version, updatedBy);
}

public sealed record FatigueWindowRequest(MessageChannel? Channel, int? Max, int? Days, FatigueWindowKind? Kind);

public sealed record QuietHoursRequest(string? Start, string? End, QuietAction? Action);

public sealed record DoNotDisturbPeriodRequest(string? Name, DateOnly? From, DateOnly? To, QuietAction? Action);
