using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Integration;

/// <summary>The one time a client's secret is shown: when HQ creates the client.</summary>
public sealed record IntegrationClientCredentials(Guid Id, string KeyId, string Name, string Secret);

public sealed record IntegrationClientView(Guid Id, string KeyId, string Name, bool Enabled, bool MayChargeByMemberId, DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt)
{
    internal static IntegrationClientView Of(IntegrationClient c) => new(c.Id, c.KeyId, c.Name, c.Enabled, c.MayChargeByMemberId, c.CreatedAt, c.UpdatedAt);
}

/// <summary>
/// HQ registers a POS, the ERP or the online mall. Only the mall should get <paramref name="MayChargeByMemberId"/>:
/// a POS charges with the member's payment code.
/// </summary>
public sealed record CreateIntegrationClient(string KeyId, string Name, bool MayChargeByMemberId = false) : ICommand<IntegrationClientCredentials>;

public sealed class CreateIntegrationClientValidator : AbstractValidator<CreateIntegrationClient>
{
    public CreateIntegrationClientValidator()
    {
        RuleFor(x => x.KeyId).NotEmpty().MaximumLength(IntegrationClient.KeyIdMaxLength).Matches("^[A-Za-z0-9_.-]+$");
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
    }
}

public sealed class CreateIntegrationClientHandler(GuideDbContext db, BrandClock clock)
    : IRequestHandler<CreateIntegrationClient, IntegrationClientCredentials>
{
    public async Task<IntegrationClientCredentials> Handle(CreateIntegrationClient request, CancellationToken cancellationToken)
    {
        if (await db.IntegrationClients.AnyAsync(c => c.KeyId == request.KeyId, cancellationToken))
            throw new DomainException(DomainError.Conflict("integration.key_id_taken", $"Key id {request.KeyId} is taken."));
        var client = new IntegrationClient(request.KeyId, request.Name, request.MayChargeByMemberId, clock.UtcNow);
        db.IntegrationClients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        return new IntegrationClientCredentials(client.Id, client.KeyId, client.Name, client.Secret);
    }
}

public sealed record ListIntegrationClients : IRequest<IReadOnlyList<IntegrationClientView>>;

public sealed class ListIntegrationClientsHandler(GuideDbContext db) : IRequestHandler<ListIntegrationClients, IReadOnlyList<IntegrationClientView>>
{
    public async Task<IReadOnlyList<IntegrationClientView>> Handle(ListIntegrationClients request, CancellationToken cancellationToken) =>
        (await db.IntegrationClients.AsNoTracking().OrderBy(c => c.KeyId).ToListAsync(cancellationToken)).Select(IntegrationClientView.Of).ToList();
}

/// <summary>HQ renames a client or changes its right to charge by member id.</summary>
public sealed record UpdateIntegrationClient(Guid ClientId, string Name, bool MayChargeByMemberId) : ICommand<IntegrationClientView>;

public sealed class UpdateIntegrationClientValidator : AbstractValidator<UpdateIntegrationClient>
{
    public UpdateIntegrationClientValidator() => RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
}

public sealed class UpdateIntegrationClientHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UpdateIntegrationClient, IntegrationClientView>
{
    public async Task<IntegrationClientView> Handle(UpdateIntegrationClient request, CancellationToken cancellationToken)
    {
        var client = await IntegrationClientLookup.FindAsync(db, request.ClientId, cancellationToken);
        client.Update(request.Name.Trim(), request.MayChargeByMemberId, clock.UtcNow);
        return IntegrationClientView.Of(client);
    }
}

/// <summary>HQ disables (or enables again) a client: refused at once on every instance (its revision changes).</summary>
public sealed record SetIntegrationClientEnabled(Guid ClientId, bool Enabled) : ICommand<IntegrationClientView>;

public sealed class SetIntegrationClientEnabledHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<SetIntegrationClientEnabled, IntegrationClientView>
{
    public async Task<IntegrationClientView> Handle(SetIntegrationClientEnabled request, CancellationToken cancellationToken)
    {
        var client = await IntegrationClientLookup.FindAsync(db, request.ClientId, cancellationToken);
        if (request.Enabled) client.Enable(clock.UtcNow);
        else client.Disable(clock.UtcNow);
        return IntegrationClientView.Of(client);
    }
}

/// <summary>HQ gives a client a new secret (shown once, in the answer); the old one is refused at once everywhere.</summary>
public sealed record RotateIntegrationClientSecret(Guid ClientId) : ICommand<IntegrationClientCredentials>;

public sealed class RotateIntegrationClientSecretHandler(GuideDbContext db, BrandClock clock)
    : IRequestHandler<RotateIntegrationClientSecret, IntegrationClientCredentials>
{
    public async Task<IntegrationClientCredentials> Handle(RotateIntegrationClientSecret request, CancellationToken cancellationToken)
    {
        var client = await IntegrationClientLookup.FindAsync(db, request.ClientId, cancellationToken);
        var secret = client.RotateSecret(clock.UtcNow);
        return new IntegrationClientCredentials(client.Id, client.KeyId, client.Name, secret);
    }
}

internal static class IntegrationClientLookup
{
    public static async Task<IntegrationClient> FindAsync(GuideDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.IntegrationClients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
        ?? throw new DomainException(DomainError.NotFound("integration.client_not_found", "No such integration client."));
}

/// <summary>A POS finds the member at the till by phone number.</summary>
public sealed record LookUpMemberByPhone(string Phone) : IRequest<MemberProfile>;

public sealed class LookUpMemberByPhoneValidator : AbstractValidator<LookUpMemberByPhone>
{
    public LookUpMemberByPhoneValidator() =>
        RuleFor(x => x.Phone).NotEmpty().Matches("^1[0-9]{10}$").WithMessage("An 11-digit mainland mobile number.");
}

public sealed class LookUpMemberByPhoneHandler(GuideDbContext db) : IRequestHandler<LookUpMemberByPhone, MemberProfile>
{
    public async Task<MemberProfile> Handle(LookUpMemberByPhone request, CancellationToken cancellationToken) =>
        await MemberProfile.Project(db.Members.AsNoTracking().Where(m => m.Phone == request.Phone).OrderBy(m => m.RegisteredAt))
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw new DomainException(DomainError.NotFound("member.not_found", "No member has this phone number."));
}
