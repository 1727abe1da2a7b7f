using System.Text.RegularExpressions;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Messaging;

/// <summary>A template as HQ sees it (its keys as a list).</summary>
public sealed record MessageTemplateView(Guid Id, string Name, MessageChannel Channel, MessageKind Kind, string ExternalId, IReadOnlyList<string> Keys,
    string? Page, MessagePurpose? Purpose, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt)
{
    public static MessageTemplateView Of(MessageTemplate t) =>
        new(t.Id, t.Name, t.Channel, t.Kind, t.ExternalId, t.KeyList, t.Page, t.Purpose, t.Active, t.CreatedAt, t.UpdatedAt);
}

/// <summary>What HQ says about a template (the channel is fixed at creation).</summary>
public sealed record MessageTemplateTerms(string? Name, MessageKind? Kind, string? ExternalId, IReadOnlyList<string>? Keys, string? Page, MessagePurpose? Purpose);

public static partial class MessageTemplateRules
{
    public const int MaxKeys = 20;
    public const int KeyMaxLength = 32;

    /// <summary>A WeChat subscribe template's value key: its type (letters and underscores: thing, time, character_string...) and its number.</summary>
    [GeneratedRegex("^[A-Za-z_]+[0-9]+$")]
    public static partial Regex KeyPattern();

    public static DomainError NotFound() => DomainError.NotFound("message_template.not_found", "No such message template.");

    public static void AddTermRules<T>(AbstractValidator<T> v, Func<T, MessageTemplateTerms> terms)
    {
        v.RuleFor(x => terms(x).Name).NotEmpty().Must(n => !string.IsNullOrWhiteSpace(n)).MaximumLength(MessageTemplate.NameMaxLength).WithName("name");
        v.RuleFor(x => terms(x).Kind).NotNull().IsInEnum().WithName("kind");
        v.RuleFor(x => terms(x).ExternalId).NotEmpty().Must(n => !string.IsNullOrWhiteSpace(n) && n.Trim() == n)
            .WithMessage("The external id has no surrounding spaces.").MaximumLength(MessageTemplate.ExternalIdMaxLength).WithName("externalId");
        v.RuleFor(x => terms(x).Keys).NotEmpty().Must(k => k!.Count <= MaxKeys).WithMessage($"At most {MaxKeys} keys.")
            .Must(k => k!.Distinct(StringComparer.Ordinal).Count() == k!.Count).WithMessage("Each key once.").WithName("keys")
            .When(x => terms(x).Keys is { Count: > 0 });
        v.RuleFor(x => terms(x).Keys).NotEmpty().WithName("keys");
        v.RuleForEach(x => terms(x).Keys).NotNull().MaximumLength(KeyMaxLength).Must(k => k is not null && KeyPattern().IsMatch(k))
            .WithMessage("A key is its type (letters, underscores) and a number: thing1, time2, character_string3.").OverridePropertyName("keys");
        v.RuleFor(x => terms(x).Page).MaximumLength(OutboundMessage.PageMaxLength).WithName("page");
        v.RuleFor(x => terms(x).Purpose).IsInEnum().WithName("purpose");
    }

    /// <summary>The channel's external id and purpose are each one template's (a deactivated template gave its purpose up).</summary>
    internal static async Task CheckUniqueAsync(GuideDbContext db, Guid? self, MessageChannel channel, string externalId, MessagePurpose? purpose,
        CancellationToken cancellationToken)
    {
        if (await db.MessageTemplates.AnyAsync(t => t.Id != self && t.Channel == channel && t.ExternalId == externalId, cancellationToken))
            throw new DomainException(DomainError.Conflict("message_template.external_id_taken",
                "Another template of this channel has this external id (WeChat template id or SMS code)."));
        if (purpose is { } p && await db.MessageTemplates.AnyAsync(t => t.Id != self && t.Channel == channel && t.Purpose == p, cancellationToken))
            throw new DomainException(DomainError.Conflict("message_template.purpose_taken",
                "Another template of this channel carries this purpose: deactivate it (or clear its purpose) first."));
    }
}

/// <summary>HQ adds a subscribe (WeChat) or SMS template.</summary>
public sealed record CreateMessageTemplate(MessageChannel? Channel, MessageTemplateTerms Terms) : ICommand<MessageTemplateView>;

public sealed class CreateMessageTemplateValidator : AbstractValidator<CreateMessageTemplate>
{
    public CreateMessageTemplateValidator()
    {
        RuleFor(x => x.Channel).NotNull().IsInEnum().Must(c => c is MessageChannel.Subscribe or MessageChannel.Sms)
            .WithMessage("Templates are for the subscribe and sms channels (WeCom messages are the guide's text).");
        MessageTemplateRules.AddTermRules(this, x => x.Terms);
    }
}

public sealed class CreateMessageTemplateHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<CreateMessageTemplate, MessageTemplateView>
{
    public async Task<MessageTemplateView> Handle(CreateMessageTemplate request, CancellationToken cancellationToken)
    {
        var t = request.Terms;
        var channel = request.Channel!.Value;
        await MessageTemplateRules.CheckUniqueAsync(db, null, channel, t.ExternalId!, t.Purpose, cancellationToken);
        var template = new MessageTemplate(t.Name!.Trim(), channel, t.Kind!.Value, t.ExternalId!, t.Keys!, string.IsNullOrWhiteSpace(t.Page) ? null : t.Page.Trim(),
            clock.UtcNow) { Purpose = t.Purpose };
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return MessageTemplateView.Of(template);
    }
}

/// <summary>HQ replaces a template's terms (its channel stays).</summary>
public sealed record UpdateMessageTemplate(Guid Id, MessageTemplateTerms Terms) : ICommand<MessageTemplateView>;

public sealed class UpdateMessageTemplateValidator : AbstractValidator<UpdateMessageTemplate>
{
    public UpdateMessageTemplateValidator() => MessageTemplateRules.AddTermRules(this, x => x.Terms);
}

public sealed class UpdateMessageTemplateHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UpdateMessageTemplate, MessageTemplateView>
{
    public async Task<MessageTemplateView> Handle(UpdateMessageTemplate request, CancellationToken cancellationToken)
    {
        var template = await db.MessageTemplates.SingleOrDefaultAsync(x => x.Id == request.Id, cancellationToken)
            ?? throw new DomainException(MessageTemplateRules.NotFound());
        var t = request.Terms;
        await MessageTemplateRules.CheckUniqueAsync(db, template.Id, template.Channel, t.ExternalId!, t.Purpose, cancellationToken);
        template.Name = t.Name!.Trim();
        template.Kind = t.Kind!.Value;
        template.ExternalId = t.ExternalId!;
        template.Keys = string.Join(",", t.Keys!);
        template.Page = string.IsNullOrWhiteSpace(t.Page) ? null : t.Page.Trim();
        template.Purpose = t.Purpose;
        template.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return MessageTemplateView.Of(template);
    }
}

/// <summary>
/// HQ retires a template: messages still queued with it are blocked (template inactive) by the drain, it gives its purpose up
/// (another template may take it) and the shopper can no longer accept it. Deactivating twice changes nothing.
/// </summary>
public sealed record DeactivateMessageTemplate(Guid Id) : ICommand<MessageTemplateView>;

public sealed class DeactivateMessageTemplateHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<DeactivateMessageTemplate, MessageTemplateView>
{
    public async Task<MessageTemplateView> Handle(DeactivateMessageTemplate request, CancellationToken cancellationToken)
    {
        var template = await db.MessageTemplates.SingleOrDefaultAsync(x => x.Id == request.Id, cancellationToken)
            ?? throw new DomainException(MessageTemplateRules.NotFound());
        if (!template.Active) return MessageTemplateView.Of(template);
        template.Active = false;
        template.Purpose = null;
        template.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return MessageTemplateView.Of(template);
    }
}

/// <summary>
/// HQ puts a retired template back in use (WeChat's template id and the SMS code stay this template's while it is retired, so a
/// new template cannot take them): shoppers can accept it again and new messages may use it. Its purpose was given up when it
/// was retired; HQ sets one again with an update. Messages blocked while it was retired stay blocked. Twice changes nothing.
/// </summary>
public sealed record ActivateMessageTemplate(Guid Id) : ICommand<MessageTemplateView>;

public sealed class ActivateMessageTemplateHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ActivateMessageTemplate, MessageTemplateView>
{
    public async Task<MessageTemplateView> Handle(ActivateMessageTemplate request, CancellationToken cancellationToken)
    {
        var template = await db.MessageTemplates.SingleOrDefaultAsync(x => x.Id == request.Id, cancellationToken)
            ?? throw new DomainException(MessageTemplateRules.NotFound());
        if (template.Active) return MessageTemplateView.Of(template);
        template.Active = true;
        template.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return MessageTemplateView.Of(template);
    }
}

public sealed record GetMessageTemplate(Guid Id) : IRequest<MessageTemplateView>;

public sealed class GetMessageTemplateHandler(GuideDbContext db) : IRequestHandler<GetMessageTemplate, MessageTemplateView>
{
    public async Task<MessageTemplateView> Handle(GetMessageTemplate request, CancellationToken cancellationToken) =>
        MessageTemplateView.Of(await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(x => x.Id == request.Id, cancellationToken)
            ?? throw new DomainException(MessageTemplateRules.NotFound()));
}

/// <summary>HQ's templates by channel and active, newest first (paged).</summary>
public sealed record ListMessageTemplates(MessageChannel? Channel, bool? Active, int? Page, int? PageSize) : IRequest<Page<MessageTemplateView>>;

public sealed class ListMessageTemplatesValidator : AbstractValidator<ListMessageTemplates>
{
    public ListMessageTemplatesValidator() => RuleFor(x => x.Channel).IsInEnum();
}

public sealed class ListMessageTemplatesHandler(GuideDbContext db) : IRequestHandler<ListMessageTemplates, Page<MessageTemplateView>>
{
    public async Task<Page<MessageTemplateView>> Handle(ListMessageTemplates request, CancellationToken cancellationToken)
    {
        var (number, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.MessageTemplates.AsNoTracking();
        if (request.Channel is { } channel) query = query.Where(t => t.Channel == channel);
        if (request.Active is { } active) query = query.Where(t => t.Active == active);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Page<MessageTemplateView>(rows.Select(MessageTemplateView.Of).ToList(), number, size, total);
    }
}
