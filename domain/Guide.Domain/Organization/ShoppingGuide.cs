using Guide.Domain.Persistence;
using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Organization;

public enum GuideRole
{
    Guide = 0,
    StoreManager = 1,
    AreaManager = 2,
}

/// <summary>
/// A shopping guide (导购) in WeCom: works in one store; a store manager manages that store; an area manager
/// manages the stores of the areas (departments) listed in <see cref="ManagedAreas"/>.
/// </summary>
public sealed class ShoppingGuide
{
    public const int WeComUserIdMaxLength = 64;

    private ShoppingGuide() { }

    public ShoppingGuide(string weComUserId, string name, Guid storeId, GuideRole role, IEnumerable<string> managedAreas, string? mobile, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        WeComUserId = weComUserId;
        Name = name;
        StoreId = storeId;
        Role = role;
        ManagedAreasText = JoinAreas(managedAreas);
        Mobile = mobile;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string WeComUserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public Guid StoreId { get; private set; }
    public GuideRole Role { get; private set; }
    public string? Mobile { get; private set; }
    public bool Active { get; private set; } = true;
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>
    /// The short opaque code in the guide's mini-program code (scene <c>g=</c> + this), given on the first
    /// request for that code: never the id, which is longer than WeChat's 32 characters and names the guide.
    /// </summary>
    public string? SceneCode { get; private set; }

    /// <summary>Stored as one ';'-separated column: a short list read only with the guide.</summary>
    internal string ManagedAreasText { get; private set; } = "";

    public IReadOnlyList<string> ManagedAreas =>
        ManagedAreasText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Applies an imported row; false when nothing differs (so a re-import changes nothing).</summary>
    public bool Update(string name, Guid storeId, GuideRole role, IEnumerable<string> managedAreas, string? mobile, bool active)
    {
        var areas = JoinAreas(managedAreas);
        if (Name == name && StoreId == storeId && Role == role && ManagedAreasText == areas && Mobile == mobile && Active == active)
            return false;
        Name = name;
        StoreId = storeId;
        Role = role;
        ManagedAreasText = areas;
        Mobile = mobile;
        Active = active;
        return true;
    }

    private static string JoinAreas(IEnumerable<string> areas) =>
        string.Join(';', areas.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}

internal sealed class ShoppingGuideConfiguration : IEntityTypeConfiguration<ShoppingGuide>
{
    public void Configure(EntityTypeBuilder<ShoppingGuide> b)
    {
        b.ToTable("guides");
        b.HasKey(x => x.Id);
        b.Property(x => x.WeComUserId).HasMaxLength(ShoppingGuide.WeComUserIdMaxLength).IsRequired();
        b.HasIndex(x => x.WeComUserId).IsUnique();
        b.Property(x => x.Name).HasMaxLength(64).IsRequired();
        b.Property(x => x.Mobile).HasMaxLength(20);
        b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ManagedAreasText).HasColumnName("managed_areas").HasMaxLength(1000).IsRequired();
        b.Ignore(x => x.ManagedAreas);
        b.HasOne<Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.SceneCode).HasMaxLength(Members.GuideScene.CodeLength).IsWeixinId();
        b.HasIndex(x => x.SceneCode).IsUnique();
    }
}
