using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.GroupActions;

/// <summary>How far the moment poll reaches.</summary>
/// <param name="LookBack">Where the first listing starts, and the furthest back any listing goes (a poll that was off for months lists no moment it would never poll).</param>
/// <param name="PollWithin">Moments created this recently are polled for likes and comments (which keep coming after the moment is posted).</param>
/// <param name="MomentsPerRun">Moments polled per run, least recently polled first; the rest wait for the next run.</param>
/// <param name="PagesPerRun">Pages listed per run; a listing that needs more goes on at its saved cursor next run.</param>
public sealed record MomentPollOptions(TimeSpan LookBack, TimeSpan PollWithin, int MomentsPerRun = 200, int PagesPerRun = 100)
{
    public static MomentPollOptions Default { get; } = new(TimeSpan.FromDays(30), TimeSpan.FromDays(30));
}

/// <summary>
/// The moment poll (a Quartz job, one instance of the cluster at a time). WeCom has no callback for likes and
/// comments, so: (1) <c>get_moment_list</c> in windows of at most <see cref="MaxWindow"/> from where the last listing
/// ended to now, page by page (20 a page), each page read outside any transaction and then saved, with the next
/// cursor, in one short command (<see cref="RecordMomentPage"/>), so a crash between pages goes on at the saved cursor
/// and a page listed twice adds nothing; (2) <c>get_moment_comments</c> for each recent guide-posted moment on the
/// guide's copy, whose likes and comments are recorded as actions in one command per moment
/// (<see cref="RecordMomentInteractions"/>), each action once ever by its unique key, so a repeated poll or a crash
/// mid-run awards nothing twice; (3) the pending actions are awarded (<see cref="GroupActionRun.AwardAsync"/>).
/// A failing WeCom call is logged and left for the next run; it stops neither the other moments nor the awards.
/// <para>
/// Moments the corp posted (no creator) are listed but not polled: their copies belong to whichever guides sent
/// them, which only <c>get_moment_task</c> tells, and the product's actions are on a guide's moment.
/// </para>
/// </summary>
public sealed class MomentPollRun(GuideDbContext db, IMediator mediator, IWeComDirectory wecom, GroupActionRun awards, BrandClock clock,
    ILogger<MomentPollRun> logger)
{
    /// <summary>The longest span <c>get_moment_list</c> accepts.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// Each listing starts this far before where the last one ended: a moment may reach WeCom's list a little after
    /// its create time, and listing it again costs nothing (known ids are skipped).
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(10);

    public Task<string> RunAsync(CancellationToken cancellationToken) => RunAsync(MomentPollOptions.Default, cancellationToken);

    public async Task<string> RunAsync(MomentPollOptions options, CancellationToken cancellationToken)
    {
        var listed = await ListAsync(options, cancellationToken);
        var polled = await PollAsync(options, cancellationToken);
        var awarded = await awards.AwardAsync(cancellationToken);
        return $"{listed}; {polled}; {awarded}";
    }

    /// <summary>Lists the moments created since the last listing, window by window, page by page, from the saved cursor.</summary>
    public async Task<string> ListAsync(MomentPollOptions options, CancellationToken cancellationToken)
    {
        // WeCom counts in whole seconds: whole-second windows are the windows it answers for, and the saved ones.
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.UtcNow.ToUnixTimeSeconds());
        var earliest = now - options.LookBack;
        int pages = 0, added = 0;
        var reachedNow = false;
        while (!reachedNow && pages < options.PagesPerRun)
        {
            var poll = await db.WeComMomentPolls.AsNoTracking().SingleOrDefaultAsync(p => p.Id == WeComMomentPoll.SingletonId, cancellationToken);
            DateTimeOffset start, end;
            string? cursor = null;
            if (poll is { InWindow: true })
            {
                (start, end, cursor) = (poll.WindowStart!.Value, poll.WindowEnd!.Value, poll.Cursor);
            }
            else
            {
                // Every run lists at least the overlap before where the last one ended, even a run in the same second.
                start = poll is null ? earliest : Max(poll.ListedUntil - Overlap, earliest);
                if (start >= now) break; // the clock went back: nothing new can be listed
                end = Min(start + MaxWindow, now);
            }

            WeComMomentPageFacts page;
            int? result;
            try
            {
                page = await wecom.GetMomentsAsync(start, end, cursor, cancellationToken);
                result = await mediator.Send(new RecordMomentPage(poll?.Version ?? 0, start, end, page.Moments, page.NextCursor), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The saved cursor stays: the next run asks for this very page again. The moments already known are polled all the same.
                logger.LogWarning(e, "Moment list {Start:o} to {End:o} (cursor {Cursor}) could not be listed", start, end, cursor);
                return $"listed {pages} page(s), {added} new moment(s), stopped by a failed page";
            }
            pages++;
            if (result is null) return $"listed {pages} page(s), {added} new moment(s), stopped: another run moved the listing on";
            added += result.Value;
            reachedNow = page.NextCursor is null && end >= now;
        }
        return $"listed {pages} page(s), {added} new moment(s)";
    }

    /// <summary>Polls the recent guide-posted moments, least recently polled first, each on its guide's copy.</summary>
    public async Task<string> PollAsync(MomentPollOptions options, CancellationToken cancellationToken)
    {
        var since = clock.UtcNow - options.PollWithin;
        var moments = await db.WeComMoments.AsNoTracking()
            .Where(m => m.CreatorUserId != null && m.CreatedAt >= since)
            .OrderBy(m => m.LastPolledAt).ThenBy(m => m.CreatedAt).ThenBy(m => m.MomentId)
            .Select(m => new { m.MomentId, m.CreatorUserId }).Take(options.MomentsPerRun).ToListAsync(cancellationToken);
        int polled = 0, recorded = 0, failed = 0;
        foreach (var moment in moments)
        {
            try
            {
                var facts = await wecom.GetMomentInteractionsAsync(moment.MomentId, moment.CreatorUserId!, cancellationToken);
                recorded += await mediator.Send(new RecordMomentInteractions(moment.MomentId, moment.CreatorUserId!, facts), cancellationToken);
                polled++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not stamped: first in line next run. Likes and comments are read whole each time, so nothing is lost.
                failed++;
                logger.LogWarning(e, "Moment {MomentId} of {Guide} could not be polled", moment.MomentId, moment.CreatorUserId);
            }
        }
        return $"polled {polled} moment(s) ({failed} failed), recorded {recorded} action(s)";
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>
/// One page of <c>get_moment_list</c> for [<paramref name="WindowStart"/>, <paramref name="WindowEnd"/>], read under
/// the listing's <paramref name="VersionRead"/>: the new moments are kept (known ids skipped) and the listing moves
/// to <paramref name="NextCursor"/>, or past the window when it is null, in one transaction. Answers the number of
/// new moments, or null when the listing is no longer where it was read (another run saved first): nothing is applied.
/// </summary>
public sealed record RecordMomentPage(int VersionRead, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, IReadOnlyList<WeComMomentFacts> Moments,
    string? NextCursor) : ICommand<int?>;

public sealed class RecordMomentPageHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<RecordMomentPage, int?>
{
    public async Task<int?> Handle(RecordMomentPage request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var poll = await db.WeComMomentPolls.SingleOrDefaultAsync(p => p.Id == WeComMomentPoll.SingletonId, cancellationToken);
        if ((poll?.Version ?? 0) != request.VersionRead) return null;
        if (poll is null) db.WeComMomentPolls.Add(poll = new WeComMomentPoll(request.WindowStart, now));

        var page = request.Moments.Where(m => m.MomentId is { Length: > 0 and <= WeComEvent.IdMaxLength })
            .GroupBy(m => m.MomentId, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var ids = page.Select(m => m.MomentId).ToList();
        var known = await db.WeComMoments.Where(m => ids.Contains(m.MomentId)).Select(m => m.MomentId).ToListAsync(cancellationToken);
        var added = 0;
        foreach (var moment in page.Where(m => !known.Contains(m.MomentId, StringComparer.Ordinal)))
        {
            var creator = moment.Creator is { Length: <= WeComEvent.IdMaxLength } c ? c : null;
            db.WeComMoments.Add(new WeComMoment(moment.MomentId, creator, moment.CreateTime, now));
            added++;
        }
        var cursor = request.NextCursor is { Length: > WeComMomentPoll.CursorMaxLength }
            ? throw new InvalidOperationException($"WeCom's moment cursor is longer than {WeComMomentPoll.CursorMaxLength} characters")
            : request.NextCursor;
        poll.PageListed(request.WindowStart, request.WindowEnd, cursor, now);
        return added;
    }
}

/// <summary>
/// What <c>get_moment_comments</c> answered (read before, outside any transaction) for the guide's copy of a moment:
/// each customer's like becomes a <see cref="GroupActionKind.LikeMoment"/>, their comments one
/// <see cref="GroupActionKind.CommentMoment"/> (however many they wrote: at the first), each once ever by the action's
/// unique key, so the lists read whole on every poll record only what is new; the moment is stamped polled. Answers
/// the number of actions recorded.
/// </summary>
public sealed record RecordMomentInteractions(string MomentId, string GuideUserId, WeComMomentInteractionFacts Interactions) : ICommand<int>;

public sealed class RecordMomentInteractionsHandler(GuideDbContext db, GroupActionLog actions, BrandClock clock)
    : IRequestHandler<RecordMomentInteractions, int>
{
    public async Task<int> Handle(RecordMomentInteractions request, CancellationToken cancellationToken)
    {
        var moment = await db.WeComMoments.SingleAsync(m => m.MomentId == request.MomentId, cancellationToken);
        // One per customer and kind, at their first like or comment: two of the same in one transaction would both
        // pass the log's "already recorded?" look-up (the first is not saved yet) and break the unique key.
        var seen = First(GroupActionKind.LikeMoment, request.Interactions.Likes).Concat(First(GroupActionKind.CommentMoment, request.Interactions.Comments)).ToList();
        var customers = seen.Select(s => s.ExternalUserId).Distinct().ToList();
        var known = (await db.GroupActions.AsNoTracking()
                .Where(a => (a.Kind == GroupActionKind.LikeMoment || a.Kind == GroupActionKind.CommentMoment) && a.Target == request.MomentId
                            && customers.Contains(a.ExternalUserId))
                .Select(a => new { a.Kind, a.ExternalUserId }).ToListAsync(cancellationToken))
            .Select(a => (a.Kind, a.ExternalUserId)).ToHashSet();
        var recorded = 0;
        foreach (var (kind, externalUserId, at) in seen.Where(s => !known.Contains((s.Kind, s.ExternalUserId))))
        {
            if (await actions.RecordAsync(kind, externalUserId, request.MomentId, request.GuideUserId, at, null, null, cancellationToken) is not null)
                recorded++;
        }
        moment.Polled(clock.UtcNow);
        return recorded;
    }

    private static IEnumerable<(GroupActionKind Kind, string ExternalUserId, DateTimeOffset At)> First(GroupActionKind kind,
        IEnumerable<WeComMomentInteractionFact> facts) =>
        facts.Where(f => f.ExternalUserId is { Length: > 0 and <= WeComEvent.IdMaxLength })
            .GroupBy(f => f.ExternalUserId, StringComparer.Ordinal)
            .Select(g => (kind, g.Key, g.Min(f => f.CreateTime)))
            .OrderBy(x => x.Item3).ThenBy(x => x.Key, StringComparer.Ordinal);
}
