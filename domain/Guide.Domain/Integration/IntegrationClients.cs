using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Integration;

/// <summary>The one time a client's secret is shown: when HQ creates the client.</summary>
public sealed record IntegrationClientCredentials(Guid Id, string KeyId, string Name, string Secret);

public sealed record IntegrationClientView(Guid Id, string KeyId, string Name, bool Enabled, DateTimeOffset CreatedAt);

public sealed record CreateIntegrationClient(string KeyId, string Name) : ICommand<IntegrationClientCredentials>;

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
        var client = new IntegrationClient(request.KeyId, request.Name, clock.UtcNow);
        db.IntegrationClients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        return new IntegrationClientCredentials(client.Id, client.KeyId, client.Name, client.Secret);
    }
}

public sealed record ListIntegrationClients : IRequest<IReadOnlyList<IntegrationClientView>>;

public sealed class ListIntegrationClientsHandler(GuideDbContext db) : IRequestHandler<ListIntegrationClients, IReadOnlyList<IntegrationClientView>>
{
    public async Task<IReadOnlyList<IntegrationClientView>> Handle(ListIntegrationClients request, CancellationToken cancellationToken) =>
        await db.IntegrationClients.AsNoTracking().OrderBy(c => c.KeyId)
            .Select(c => new IntegrationClientView(c.Id, c.KeyId, c.Name, c.Enabled, c.CreatedAt)).ToListAsync(cancellationToken);
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
