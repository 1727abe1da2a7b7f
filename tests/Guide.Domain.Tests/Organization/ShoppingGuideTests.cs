using Guide.Domain.Organization;

namespace Guide.Domain.Tests.Organization;

public class ShoppingGuideTests
{
    private static readonly Guid StoreA = Guid.Parse("0192f000-0000-7000-8000-00000000000a");
    private static readonly Guid StoreB = Guid.Parse("0192f000-0000-7000-8000-00000000000b");
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static ShoppingGuide NewGuide() =>
        new("zhangsan", "张三", StoreA, GuideRole.AreaManager, ["East", "North"], "13800000000", Created);

    [Fact]
    public void Managed_areas_are_trimmed_deduplicated_and_sorted()
    {
        var guide = new ShoppingGuide("lisi", "李四", StoreA, GuideRole.AreaManager,
            [" North ", "East", "", "  ", "North", "east"], null, Created);

        Assert.Equal(["East", "North", "east"], guide.ManagedAreas);
    }

    [Fact]
    public void Update_with_the_same_values_returns_false()
    {
        var guide = NewGuide();

        Assert.False(guide.Update("张三", StoreA, GuideRole.AreaManager, ["East", "North"], "13800000000", active: true));
    }

    /// <param name="areaList">'|'-separated, as an import row might carry them.</param>
    [Theory]
    [InlineData("North|East")]
    [InlineData("East|North|East")]
    [InlineData(" East|North  ")]
    [InlineData("North|| |East|North")]
    public void Update_returns_false_when_areas_differ_only_by_order_duplicates_or_whitespace(string areaList)
    {
        var guide = NewGuide();
        var areas = areaList.Split('|');

        Assert.False(guide.Update("张三", StoreA, GuideRole.AreaManager, areas, "13800000000", active: true));
        Assert.Equal(["East", "North"], guide.ManagedAreas);
    }

    [Fact]
    public void Update_returns_true_and_applies_a_changed_name()
    {
        var guide = NewGuide();

        Assert.True(guide.Update("张三丰", StoreA, GuideRole.AreaManager, ["East", "North"], "13800000000", true));
        Assert.Equal("张三丰", guide.Name);
    }

    [Fact]
    public void Update_returns_true_and_applies_a_changed_store()
    {
        var guide = NewGuide();

        Assert.True(guide.Update("张三", StoreB, GuideRole.AreaManager, ["East", "North"], "13800000000", true));
        Assert.Equal(StoreB, guide.StoreId);
    }

    [Fact]
    public void Update_returns_true_and_applies_a_changed_role()
    {
        var guide = NewGuide();

        Assert.True(guide.Update("张三", StoreA, GuideRole.StoreManager, ["East", "North"], "13800000000", true));
        Assert.Equal(GuideRole.StoreManager, guide.Role);
    }

    [Theory]
    [InlineData("East")]
    [InlineData("East|North|West")]
    [InlineData("east|North")]
    [InlineData("")]
    public void Update_returns_true_and_applies_changed_areas(string areaList)
    {
        var guide = NewGuide();
        var areas = areaList.Split('|', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(guide.Update("张三", StoreA, GuideRole.AreaManager, areas, "13800000000", true));
        Assert.Equal(areas.Order(StringComparer.Ordinal), guide.ManagedAreas);
    }

    [Theory]
    [InlineData("13900000000")]
    [InlineData(null)]
    public void Update_returns_true_and_applies_a_changed_mobile(string? mobile)
    {
        var guide = NewGuide();

        Assert.True(guide.Update("张三", StoreA, GuideRole.AreaManager, ["East", "North"], mobile, true));
        Assert.Equal(mobile, guide.Mobile);
    }

    [Fact]
    public void Update_returns_true_when_the_guide_is_deactivated_and_again_when_reactivated()
    {
        var guide = NewGuide();
        Assert.True(guide.Active);

        Assert.True(guide.Update("张三", StoreA, GuideRole.AreaManager, ["East", "North"], "13800000000", active: false));
        Assert.False(guide.Active);

        Assert.True(guide.Update("张三", StoreA, GuideRole.AreaManager, ["East", "North"], "13800000000", active: true));
        Assert.True(guide.Active);
    }

    [Fact]
    public void Applying_the_same_change_twice_changes_something_only_the_first_time()
    {
        var guide = NewGuide();

        Assert.True(guide.Update("张三", StoreB, GuideRole.Guide, [], null, true));
        Assert.False(guide.Update("张三", StoreB, GuideRole.Guide, [], null, true));
    }

    [Fact]
    public void Update_keeps_identity_and_creation_time()
    {
        var guide = NewGuide();
        var id = guide.Id;

        guide.Update("王五", StoreB, GuideRole.Guide, [], null, false);

        Assert.Equal(id, guide.Id);
        Assert.Equal("zhangsan", guide.WeComUserId);
        Assert.Equal(Created, guide.CreatedAt);
    }
}
