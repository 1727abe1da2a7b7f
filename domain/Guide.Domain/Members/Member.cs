using Guide.Domain.Persistence;
using Guide.Domain.Common;
using Guide.Domain.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Members;

public enum Gender
{
    Unknown = 0,
    Male = 1,
    Female = 2,
}

/// <summary>A shopper (会员), known by the mini program's openid; created on first log-in.</summary>
public sealed class Member
{
    public const int OpenIdMaxLength = 64;

    private Member() { }

    public Member(string openId, string? unionId, DateTimeOffset registeredAt)
    {
        Id = Ids.New();
        OpenId = openId;
        UnionId = unionId;
        RegisteredAt = registeredAt;
    }

    public Guid Id { get; private set; }
    public string OpenId { get; private set; } = "";
    /// <summary>Present when the mini program is bound to an open-platform account; links WeCom contacts.</summary>
    public string? UnionId { get; private set; }
    public string? Phone { get; private set; }
    public string? Nickname { get; private set; }
    public Gender Gender { get; private set; }
    public DateOnly? Birthday { get; private set; }
    /// <summary>
    /// The rank of the member's level (0 = none): written only by <see cref="Levels.MemberLevels"/>, which records
    /// every change with its cause.
    /// </summary>
    public int Level { get; private set; }
    /// <summary>Bumped by each level re-evaluation: its row lock serializes the re-evaluations of one member.</summary>
    public int LevelVersion { get; private set; }
    public Guid? ExclusiveGuideId { get; private set; }
    public Guid? StoreId { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    /// <summary>
    /// The member lets guides contact them (care tasks); false: unsubscribed, left out of care plans. The fatigue and
    /// consent issue manages it (only the member re-subscribes).
    /// </summary>
    public bool GuideContactConsent { get; set; } = true;

    /// <summary>Guides see 138****8000: enough to recognise a customer, not to copy the list.</summary>
    public static string? MaskPhone(string? phone) =>
        phone is { Length: >= 7 } ? phone[..3] + new string('*', phone.Length - 7) + phone[^4..] : phone;

    /// <summary>WeChat may start sending a unionid later (open platform bound after launch).</summary>
    public void LearnUnionId(string? unionId)
    {
        if (!string.IsNullOrEmpty(unionId) && UnionId != unionId) UnionId = unionId;
    }

    public void BindPhone(string phone) => Phone = phone;

    public void UpdateProfile(string? nickname, Gender gender, DateOnly? birthday)
    {
        Nickname = nickname;
        Gender = gender;
        Birthday = birthday;
    }

    /// <summary>First binding wins (a guide's QR code or WeCom friendship); HQ re-assigns explicitly.</summary>
    public bool BindExclusiveGuide(ShoppingGuide guide)
    {
        if (ExclusiveGuideId is not null) return false;
        ExclusiveGuideId = guide.Id;
        StoreId = guide.StoreId;
        return true;
    }

    /// <summary>HQ's re-assignment: the guide and the guide's store, whatever was there; false when both are already so.</summary>
    public bool ReassignExclusiveGuide(ShoppingGuide guide)
    {
        if (ExclusiveGuideId == guide.Id && StoreId == guide.StoreId) return false;
        ExclusiveGuideId = guide.Id;
        StoreId = guide.StoreId;
        return true;
    }
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> b)
    {
        b.ToTable("members");
        b.HasKey(x => x.Id);
        b.Property(x => x.OpenId).HasMaxLength(Member.OpenIdMaxLength).IsWeixinId().IsRequired();
        b.HasIndex(x => x.OpenId).IsUnique();
        b.Property(x => x.UnionId).HasMaxLength(64).IsWeixinId();
        b.HasIndex(x => x.UnionId);
        b.Property(x => x.Phone).HasMaxLength(20);
        b.HasIndex(x => x.Phone);
        b.Property(x => x.Nickname).HasMaxLength(64);
        b.Property(x => x.Gender).HasConversion<string>().HasMaxLength(8);
        b.HasIndex(x => x.StoreId);
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.ExclusiveGuideId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Restrict);
    }
}
