using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Wallets;

/// <summary>
/// A one-time secret the member shows and the POS sends: the rotating payment code (会员码), or the member's
/// confirmation of an amount above the password-free limit. Only the SHA-256 of the secret is stored: the
/// secrets are random (not derived from anything guessable), so a copy of the database cannot replay them.
/// Single use is one conditional UPDATE (<c>... WHERE used_at IS NULL AND expires_at &gt; now</c>), which two
/// POS racing with the same code cannot both win.
/// </summary>
public sealed class WalletToken
{
    private WalletToken() { }

    internal WalletToken(WalletTokenPurpose purpose, Guid memberId, string hash, long? amount, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        Id = Ids.New();
        Purpose = purpose;
        MemberId = memberId;
        Hash = hash;
        Amount = amount;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }
    public WalletTokenPurpose Purpose { get; private set; }
    public Guid MemberId { get; private set; }
    public string Hash { get; private set; } = "";
    /// <summary>A confirmation's exact amount.</summary>
    public long? Amount { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    /// <summary>The first use (a payment code: of any part of its document).</summary>
    public DateTimeOffset? UsedAt { get; private set; }
    /// <summary>A payment code is bound to the first document it pays: this client's ...</summary>
    public Guid? BoundClientId { get; private set; }
    /// <summary>... document number; within its 60 seconds it may still pay that document's other part, nothing else.</summary>
    public string? BoundDocumentNumber { get; private set; }
    /// <summary>The parts of that document it paid (<see cref="PaymentCodeParts"/> flags): each at most once.</summary>
    public int PaidParts { get; private set; }

    internal static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Digits only (a barcode scanner reads them): a 9 then 17 random digits, about 56 bits.</summary>
    internal static string NewPaymentCode() => "9" + RandomDigits(17);

    /// <summary>A confirmation the POS scans from the member's screen: 20 random digits, about 66 bits.</summary>
    internal static string NewConfirmation() => RandomDigits(20);

    /// <summary>
    /// Issues a new secret of <paramref name="purpose"/> for an existing member and stores its hash; returns the
    /// secret (shown once) and when it expires.
    /// </summary>
    internal static async Task<(string Secret, DateTimeOffset ExpiresAt)> IssueAsync(GuideDbContext db, WalletTokenPurpose purpose,
        Guid memberId, long? amount, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var secret = purpose == WalletTokenPurpose.PaymentCode ? NewPaymentCode() : NewConfirmation();
        db.WalletTokens.Add(new WalletToken(purpose, memberId, HashOf(secret), amount, now, now + lifetime));
        await db.SaveChangesAsync(cancellationToken);
        return (secret, now + lifetime);
    }

    private static string RandomDigits(int count)
    {
        var text = new StringBuilder(count);
        for (var i = 0; i < count; i++) text.Append((char)('0' + RandomNumberGenerator.GetInt32(10)));
        return text.ToString();
    }

    /// <summary>
    /// Spends a token inside the caller's transaction (it comes back if that rolls back). Returns its member,
    /// or throws the precise reason it cannot be spent.
    /// </summary>
    internal static async Task<Guid> RedeemAsync(GuideDbContext db, WalletTokenPurpose purpose, string secret, long? amount,
        Guid? memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = HashOf(secret);
        var spent = await db.WalletTokens
            .Where(t => t.Hash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now
                        && (amount == null || t.Amount == amount) && (memberId == null || t.MemberId == memberId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, (DateTimeOffset?)now), cancellationToken);
        var token = await db.WalletTokens.AsNoTracking().Where(t => t.Hash == hash && t.Purpose == purpose)
            .Select(t => new WalletTokenState(t.MemberId, t.UsedAt, t.ExpiresAt, t.Amount)).SingleOrDefaultAsync(cancellationToken);
        if (spent == 1 && token is not null) return token.MemberId;
        if (token is not null && memberId is not null && token.MemberId != memberId) token = null;
        throw Refusal(purpose, token, now, amount);
    }

    /// <summary>
    /// Above the password-free limit: spends the member's confirmation of exactly <paramref name="amount"/>
    /// (403 <c>wallet.confirmation_required</c> without one).
    /// </summary>
    internal static async Task RedeemConfirmationAsync(GuideDbContext db, string? confirmation, Money amount, Guid memberId, WalletSettings settings,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(confirmation))
            throw new DomainException(new DomainError("wallet.confirmation_required",
                $"Above {settings.PasswordFreeLimit} fen the member must confirm the amount in the mini program; send the confirmation.", ErrorKind.Forbidden)
            {
                Details = new Dictionary<string, object?> { ["passwordFreeLimit"] = settings.PasswordFreeLimit },
            });
        await RedeemAsync(db, WalletTokenPurpose.Confirmation, confirmation, amount.Fen, memberId, now, cancellationToken);
    }

    /// <summary>Why a token could not be spent: unknown (or another member's), used, expired, or for another amount.</summary>
    internal static DomainException Refusal(WalletTokenPurpose purpose, WalletTokenState? token, DateTimeOffset now, long? amount = null)
    {
        var (what, code) = purpose == WalletTokenPurpose.PaymentCode ? ("payment code", "wallet.payment_code") : ("confirmation", "wallet.confirmation");
        if (token is null)
            return new DomainException(DomainError.NotFound(code + "_invalid", $"No such {what}."));
        if (token.UsedAt is not null)
            return new DomainException(DomainError.Conflict(code + "_used", $"This {what} was used already; ask the member for a new one."));
        if (token.ExpiresAt <= now)
            return new DomainException(new DomainError(code + "_expired", $"This {what} has expired; ask the member for a new one."));
        if (amount is not null && token.Amount != amount)
            return new DomainException(new DomainError("wallet.confirmation_amount_mismatch", "The member confirmed another amount."));
        return new DomainException(DomainError.Conflict(code + "_used", $"This {what} was used already; ask the member for a new one."));
    }
}

/// <summary>What a token row says about itself, to explain a refusal.</summary>
internal sealed record WalletTokenState(Guid MemberId, DateTimeOffset? UsedAt, DateTimeOffset ExpiresAt, long? Amount);

public enum WalletTokenPurpose
{
    PaymentCode,
    Confirmation,
}

public sealed record PaymentCodeIssued(string Code, DateTimeOffset ExpiresAt, int ExpiresInSeconds);

/// <summary>The member's rotating payment code: valid 60 seconds, single use. The mini program asks again to rotate it.</summary>
public sealed record IssuePaymentCode(Guid MemberId) : ICommand<PaymentCodeIssued>;

public sealed class IssuePaymentCodeHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<IssuePaymentCode, PaymentCodeIssued>
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public async Task<PaymentCodeIssued> Handle(IssuePaymentCode request, CancellationToken cancellationToken)
    {
        var (code, expiresAt) = await WalletToken.IssueAsync(db, WalletTokenPurpose.PaymentCode, request.MemberId, null, clock.UtcNow, Lifetime, cancellationToken);
        return new PaymentCodeIssued(code, expiresAt, (int)Lifetime.TotalSeconds);
    }
}

public sealed record WalletConfirmationIssued(string Confirmation, long Amount, DateTimeOffset ExpiresAt, int ExpiresInSeconds);

/// <summary>
/// The member confirms, in the mini program, that the POS may charge exactly <paramref name="Amount"/> fen
/// above the password-free limit. The POS sends the confirmation (scanned or typed) with the charge; it is
/// valid 5 minutes, for that member, that amount and one charge.
/// </summary>
public sealed record ConfirmWalletPayment(Guid MemberId, long Amount) : ICommand<WalletConfirmationIssued>;

public sealed class ConfirmWalletPaymentValidator : AbstractValidator<ConfirmWalletPayment>
{
    public ConfirmWalletPaymentValidator() => RuleFor(x => x.Amount).InclusiveBetween(1, WalletLimits.MaxAmount);
}

public sealed class ConfirmWalletPaymentHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ConfirmWalletPayment, WalletConfirmationIssued>
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<WalletConfirmationIssued> Handle(ConfirmWalletPayment request, CancellationToken cancellationToken)
    {
        var (secret, expiresAt) = await WalletToken.IssueAsync(db, WalletTokenPurpose.Confirmation, request.MemberId, request.Amount, clock.UtcNow, Lifetime, cancellationToken);
        return new WalletConfirmationIssued(secret, request.Amount, expiresAt, (int)Lifetime.TotalSeconds);
    }
}

internal sealed class WalletTokenConfiguration : IEntityTypeConfiguration<WalletToken>
{
    public void Configure(EntityTypeBuilder<WalletToken> b)
    {
        b.ToTable("wallet_tokens");
        b.HasKey(x => x.Id);
        b.Property(x => x.Purpose).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Hash).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.Hash).IsUnique();
        b.HasIndex(x => x.ExpiresAt);
        b.Property(x => x.BoundDocumentNumber).HasMaxLength(64);
        b.HasOne<Members.Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The parts of one document a payment code may pay (flags): the points part and the wallet part, in either order.</summary>
[Flags]
public enum PaymentCodeParts
{
    Wallet = 1,
    Points = 2,
}

/// <summary>
/// Spending a payment code for one part of one document, in the caller's statement batch: ONE conditional UPDATE
/// binds the code to the first (client, document) it pays and records the part, refusing a part paid already, another
/// document, or an expired code. Two tills racing with one code cannot both win it; the points part and the wallet
/// part of the same document both can, once each. It comes back if the transaction rolls back (a refused payment).
/// </summary>
public sealed class PaymentCodeUse
{
    private bool _spent;
    private WalletTokenState? _token;

    private PaymentCodeUse() { }

    /// <summary>The subquery of the code's member, for a lock-and-load in the same batch.</summary>
    public string MemberSubquery { get; private init; } = "";

    public static PaymentCodeUse AddTo(Ledgers.StatementBatch batch, string paymentCode, Guid clientId, string documentNumber, PaymentCodeParts part,
        DateTimeOffset now)
    {
        var hash = batch.P(WalletToken.HashOf(paymentCode));
        var purpose = batch.P(WalletTokenPurpose.PaymentCode);
        var use = new PaymentCodeUse { MemberSubquery = $"(SELECT MemberId FROM wallet_tokens WHERE Hash = {hash} AND Purpose = {purpose})" };
        var at = batch.P(now);
        var client = batch.P(clientId);
        var document = batch.P(documentNumber);
        var flag = batch.P((int)part);
        batch.Execute($"UPDATE wallet_tokens SET UsedAt = COALESCE(UsedAt, {at}), BoundClientId = {client}, BoundDocumentNumber = {document}, " +
                      $"PaidParts = PaidParts | {flag} WHERE Hash = {hash} AND Purpose = {purpose} AND ExpiresAt > {at} AND (PaidParts & {flag}) = 0 " +
                      $"AND (UsedAt IS NULL OR (BoundClientId = {client} AND BoundDocumentNumber = {document}))");
        batch.Query($"SELECT {batch.RowCount}, MemberId, UsedAt, ExpiresAt FROM wallet_tokens WHERE Hash = {hash} AND Purpose = {purpose}", row =>
        {
            use._spent = row.Long(0) == 1;
            use._token = new WalletTokenState(row.Guid(1), row.NullableInstant(2), row.Instant(3), null);
        });
        return use;
    }

    /// <summary>After the batch ran: the member the code paid for, or the precise reason it could not.</summary>
    public Guid MemberId(DateTimeOffset now) =>
        _spent && _token is not null ? _token.MemberId : throw WalletToken.Refusal(WalletTokenPurpose.PaymentCode, _token, now);
}
