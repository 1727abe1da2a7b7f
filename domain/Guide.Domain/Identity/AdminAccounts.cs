using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Identity;

public sealed record AdminSession(Guid AdminId, string UserName, string DisplayName);

/// <summary>
/// HQ logs in with a user name and password. Not an <see cref="ICommand{T}"/>: a failed attempt must be
/// counted (and stay counted) even though the request fails.
/// </summary>
public sealed record LogInAdmin(string UserName, string Password) : IRequest<AdminSession>;

public sealed class LogInAdminValidator : AbstractValidator<LogInAdmin>
{
    public LogInAdminValidator()
    {
        RuleFor(x => x.UserName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(256);
    }
}

public sealed class LogInAdminHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<LogInAdmin, AdminSession>
{
    private static readonly DomainError WrongCredentials =
        new("admin.invalid_credentials", "User name or password is wrong.", ErrorKind.Unauthenticated);

    public async Task<AdminSession> Handle(LogInAdmin request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var admin = await db.HqAdmins.SingleOrDefaultAsync(a => a.UserName == request.UserName, cancellationToken);
        if (admin is null)
        {
            // Same work as a real check, so that timing does not tell which user names exist.
            AdminPassword.Verify(request.Password, AdminPassword.Hash("timing-equalizer"));
            throw new DomainException(WrongCredentials);
        }
        if (admin.IsLockedAt(now)) throw Throttled(admin.LockedUntil!.Value, now);

        var matched = admin.PasswordMatches(request.Password);
        // Concurrent attempts (several guesses at once, on several instances) each count: a lost race on the
        // version reloads the row and records the attempt again.
        for (var attempt = 0; ; attempt++)
        {
            var ok = admin.RecordAttempt(matched, now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 50)
            {
                db.ChangeTracker.Clear();
                admin = await db.HqAdmins.SingleAsync(a => a.Id == admin.Id, cancellationToken);
                continue;
            }
            if (ok) return new AdminSession(admin.Id, admin.UserName, admin.DisplayName);
            if (admin.IsLockedAt(now)) throw Throttled(admin.LockedUntil!.Value, now);
            throw new DomainException(WrongCredentials);
        }
    }

    private static DomainException Throttled(DateTimeOffset lockedUntil, DateTimeOffset now)
    {
        var retryAfter = (int)Math.Ceiling((lockedUntil - now).TotalSeconds);
        return new DomainException(new DomainError("admin.login_throttled",
            $"Too many failed log-ins; try again in {Math.Max(1, retryAfter / 60)} minute(s).", ErrorKind.TooManyRequests)
        {
            Details = new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfter },
        });
    }
}

/// <summary>Creates an HQ admin (the first one from the <c>create-admin</c> command).</summary>
public sealed record CreateAdmin(string UserName, string DisplayName, string Password) : ICommand<AdminSession>;

public sealed class CreateAdminValidator : AbstractValidator<CreateAdmin>
{
    public CreateAdminValidator()
    {
        RuleFor(x => x.UserName).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9_.@-]+$");
        RuleFor(x => x.DisplayName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Password).NotEmpty().MinimumLength(10).MaximumLength(256)
            .WithMessage("The password needs at least 10 characters.");
    }
}

public sealed class CreateAdminHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<CreateAdmin, AdminSession>
{
    public async Task<AdminSession> Handle(CreateAdmin request, CancellationToken cancellationToken)
    {
        if (await db.HqAdmins.AnyAsync(a => a.UserName == request.UserName, cancellationToken))
            throw new DomainException(DomainError.Conflict("admin.user_name_taken", $"User name {request.UserName} is taken."));
        var admin = new HqAdmin(request.UserName, request.DisplayName, request.Password, clock.UtcNow);
        db.HqAdmins.Add(admin);
        await db.SaveChangesAsync(cancellationToken);
        return new AdminSession(admin.Id, admin.UserName, admin.DisplayName);
    }
}
