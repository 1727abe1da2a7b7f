using System.Security.Cryptography;
using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Members;

/// <summary>Why a member's exclusive guide (专属导购) changed. JSON: <c>qrcode</c>, <c>wecom_friend</c>, <c>hq</c>.</summary>
public enum GuideBindingCause
{
    /// <summary>The shopper opened the mini program through the guide's code (the reference is the scene).</summary>
    Qrcode,
    /// <summary>The shopper added the guide as a WeCom friend (the reference is the external userid or the State).</summary>
    WecomFriend,
    /// <summary>HQ re-assigned the member, with a reason.</summary>
    Hq,
}

/// <summary>
/// One change of a member's exclusive guide, the first binding included: the history HQ reads. Written in the
/// transaction that changes the member, so a change without its record (or the reverse) cannot exist.
/// </summary>
public sealed class MemberGuideChange
{
    public const int ReasonMaxLength = 200;
    public const int ActorMaxLength = 64;
    public const int ReferenceMaxLength = 64;

    private MemberGuideChange() { }

    public MemberGuideChange(Guid memberId, Guid? fromGuideId, Guid? fromStoreId, ShoppingGuide to, GuideBindingCause cause,
        string? reason, string? actor, string? reference, DateTimeOffset changedAt)
    {
        Id = Ids.New();
        MemberId = memberId;
        FromGuideId = fromGuideId;
        FromStoreId = fromStoreId;
        ToGuideId = to.Id;
        ToStoreId = to.StoreId;
        Cause = cause;
        Reason = reason;
        Actor = actor;
        Reference = reference is { Length: > ReferenceMaxLength } ? reference[..ReferenceMaxLength] : reference;
        ChangedAt = changedAt;
    }

    public Guid Id { get; private set; }
    public Guid MemberId { get; private set; }
    public Guid? FromGuideId { get; private set; }
    public Guid? FromStoreId { get; private set; }
    public Guid ToGuideId { get; private set; }
    public Guid ToStoreId { get; private set; }
    public GuideBindingCause Cause { get; private set; }
    public string? Reason { get; private set; }
    /// <summary><c>member:{id}</c>, <c>hq:{adminId}</c>, <c>wecom</c>: who made the change.</summary>
    public string? Actor { get; private set; }
    public string? Reference { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }
}

internal sealed class MemberGuideChangeConfiguration : IEntityTypeConfiguration<MemberGuideChange>
{
    public void Configure(EntityTypeBuilder<MemberGuideChange> b)
    {
        b.ToTable("member_guide_changes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Cause).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasMaxLength(MemberGuideChange.ReasonMaxLength);
        b.Property(x => x.Actor).HasMaxLength(MemberGuideChange.ActorMaxLength);
        b.Property(x => x.Reference).HasMaxLength(MemberGuideChange.ReferenceMaxLength);
        b.HasIndex(x => new { x.MemberId, x.ChangedAt });
        b.HasIndex(x => x.ToGuideId);
        b.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.ToGuideId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// The scene of a guide's mini-program code: <c>g=</c> and ten base62 characters (62^10 codes, so guessing one
/// is hopeless and a collision is a unique-index retry). WeChat allows 32 visible characters; the mini program
/// receives it URL-encoded in <c>options.scene</c> and may send it either way.
/// </summary>
public static class GuideScene
{
    public const int CodeLength = 10;
    public const string Prefix = "g=";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewCode() => RandomNumberGenerator.GetString(Alphabet, CodeLength);

    public static string Of(string code) => Prefix + code;

    /// <summary>The guide's code in a scene (<c>g=Ab3...</c> or <c>g%3DAb3...</c>); false for anything else.</summary>
    public static bool TryParse(string? scene, out string code)
    {
        code = "";
        if (string.IsNullOrWhiteSpace(scene) || scene.Length > 64) return false;
        var text = scene.Trim();
        if (text.Contains('%', StringComparison.Ordinal))
        {
            try { text = Uri.UnescapeDataString(text); }
            catch (UriFormatException) { return false; }
        }
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length != Prefix.Length + CodeLength) return false;
        var candidate = text[Prefix.Length..];
        if (!candidate.All(c => Alphabet.Contains(c, StringComparison.Ordinal))) return false;
        code = candidate;
        return true;
    }
}

/// <summary>A member's exclusive guide as the shopper sees it.</summary>
public sealed record ExclusiveGuideView(Guid Id, string Name, Guid StoreId, string StoreName);

/// <summary><see cref="Bound"/>: this request bound the member; false when an earlier binding stands (first wins).</summary>
public sealed record GuideBindingOutcome(bool Bound, ExclusiveGuideView Guide);

internal static class MemberGuideRows
{
    /// <summary>
    /// Locks the member's row for the rest of the transaction and loads it (tracked). Every guide change of one
    /// member queues here: InnoDB takes the row's exclusive lock for the UPDATE even though it changes nothing,
    /// and the READ COMMITTED read after it sees what the previous holder committed (so two bindings cannot both
    /// find the member unbound). SQLite's BEGIN IMMEDIATE already serializes writers.
    /// </summary>
    public static async Task<Member> LockAsync(GuideDbContext db, Guid memberId, CancellationToken cancellationToken)
    {
        await db.Members.Where(m => m.Id == memberId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ExclusiveGuideId, m => m.ExclusiveGuideId), cancellationToken);
        return await db.Members.SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
    }

    public static async Task<ExclusiveGuideView> ViewAsync(GuideDbContext db, Guid guideId, CancellationToken cancellationToken) =>
        await (from g in db.Guides.AsNoTracking()
               join s in db.Stores.AsNoTracking() on g.StoreId equals s.Id
               where g.Id == guideId
               select new ExclusiveGuideView(g.Id, g.Name, g.StoreId, s.Name)).SingleAsync(cancellationToken);
}
