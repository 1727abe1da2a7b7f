using Guide.Domain.GroupActions;
using Guide.Weixin;
using Guide.Weixin.WeCom;

namespace Guide.Api.Weixin;

/// <summary>
/// The group actions' view of WeCom's customer contact API, on Guide.Weixin. "Not there" answers (a customer who is
/// no longer anyone's contact, a dismissed group) are facts (null); every other failure is thrown for the run to
/// log and try again later.
/// </summary>
public sealed class WeComDirectory(IWeComClient wecom) : IWeComDirectory
{
    /// <summary>84061 not an external contact; 40096 invalid external userid.</summary>
    private static readonly HashSet<int> NoSuchCustomer = [84061, 40096];
    /// <summary>40050 chat id not found (dismissed or never ours); 49008 the group was dismissed.</summary>
    private static readonly HashSet<int> NoSuchGroup = [40050, 49008];

    public async Task<WeComCustomerFacts?> GetCustomerAsync(string externalUserId, CancellationToken cancellationToken)
    {
        try
        {
            var contact = await wecom.GetExternalContactAsync(externalUserId, cancellationToken);
            return new WeComCustomerFacts(contact.ExternalUserId, contact.UnionId, contact.Name);
        }
        catch (WeixinApiException e) when (NoSuchCustomer.Contains(e.ErrorCode))
        {
            return null;
        }
    }

    public async Task<WeComGroupFacts?> GetGroupAsync(string chatId, CancellationToken cancellationToken)
    {
        try
        {
            var group = await wecom.GetGroupChatAsync(chatId, cancellationToken);
            return new WeComGroupFacts(group.ChatId, group.Name, group.Owner,
                group.Members.Select(m => new WeComGroupMemberFacts(m.UserId, m.Type, m.UnionId, m.JoinTime, m.JoinScene)).ToList());
        }
        catch (WeixinApiException e) when (NoSuchGroup.Contains(e.ErrorCode))
        {
            return null;
        }
    }

    public async Task<WeComMomentPageFacts> GetMomentsAsync(DateTimeOffset start, DateTimeOffset end, string? cursor, CancellationToken cancellationToken)
    {
        var page = await wecom.GetMomentListAsync(new WeComMomentQuery(start, end, Cursor: cursor), cancellationToken);
        return new WeComMomentPageFacts(page.Moments.Select(m => new WeComMomentFacts(m.MomentId, string.IsNullOrEmpty(m.Creator) ? null : m.Creator, m.CreateTime)).ToList(),
            string.IsNullOrEmpty(page.NextCursor) ? null : page.NextCursor);
    }

    public async Task<WeComMomentInteractionFacts> GetMomentInteractionsAsync(string momentId, string guideUserId, CancellationToken cancellationToken)
    {
        var interactions = await wecom.GetMomentCommentsAsync(momentId, guideUserId, cancellationToken);
        static List<WeComMomentInteractionFact> Customers(IEnumerable<WeComMomentInteraction> items) =>
            items.Where(i => !string.IsNullOrEmpty(i.ExternalUserId)).Select(i => new WeComMomentInteractionFact(i.ExternalUserId!, i.CreateTime)).ToList();
        return new WeComMomentInteractionFacts(Customers(interactions.Likes), Customers(interactions.Comments));
    }
}
