using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Organization;

/// <summary>A store (门店) of the brand, in one area (区域).</summary>
public sealed class Store
{
    public const int CodeMaxLength = 32;

    private Store() { }

    public Store(string code, string name, string area, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        Code = code;
        Name = name;
        Area = area;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    /// <summary>The brand's own store code (what POS and ERP send).</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>The area (区域) the store belongs to; area managers see the stores of their areas.</summary>
    public string Area { get; private set; } = "";
    public bool Active { get; private set; } = true;
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The guide who gets the store's care tasks of members without an exclusive guide (HQ sets it); null: the store manager sees them unassigned.</summary>
    public Guid? DefaultGuideId { get; set; }

    public bool Rename(string name, string area)
    {
        if (Name == name && Area == area) return false;
        Name = name;
        Area = area;
        return true;
    }

    public void SetActive(bool active) => Active = active;
}

internal sealed class StoreConfiguration : IEntityTypeConfiguration<Store>
{
    public void Configure(EntityTypeBuilder<Store> b)
    {
        b.ToTable("stores");
        b.HasKey(x => x.Id);
        b.Property(x => x.Code).HasMaxLength(Store.CodeMaxLength).IsRequired();
        b.HasIndex(x => x.Code).IsUnique();
        b.Property(x => x.Name).HasMaxLength(100).IsRequired();
        b.Property(x => x.Area).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.Area);
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.DefaultGuideId).OnDelete(DeleteBehavior.Restrict);
    }
}
