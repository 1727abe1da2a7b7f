using Guide.Domain.Messaging;

namespace Guide.Domain.Tests.Messaging;

/// <summary>Template keys as WeChat names them, and how a system message fills them from its facts.</summary>
public class MessageTemplateKeysTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData("thing1", true)]
    [InlineData("time2", true)]
    [InlineData("character_string12", true)]
    [InlineData("phrase5", true)]
    [InlineData("thing", false)]
    [InlineData("1thing", false)]
    [InlineData("thing-1", false)]
    [InlineData("thing1a", false)]
    [InlineData("", false)]
    public void A_key_is_a_type_of_letters_and_underscores_then_a_number(string key, bool valid) =>
        Assert.Equal(valid, MessageTemplateRules.KeyPattern().IsMatch(key));

    [Fact]
    public void Each_key_takes_the_fact_of_its_type_in_brand_time_and_keys_no_fact_fits_are_left_out()
    {
        var at = new DateTimeOffset(2026, 12, 31, 16, 30, 0, TimeSpan.Zero); // 2027-01-01 00:30 in Shanghai
        var data = SystemMessages.Fill(["number1", "amount2", "date3", "time4", "thing5", "phrase6", "character_string7", "name8"],
            new MessageFacts(Number: 120, AmountFen: 50_050, At: at, Thing: "储值充值成功", Phrase: "成功", Reference: "R123"), Shanghai);
        Assert.Equal("120", data["number1"]);
        Assert.Equal("¥500.50", data["amount2"]);
        Assert.Equal("2027-01-01", data["date3"]);
        Assert.Equal("2027-01-01 00:30", data["time4"]);
        Assert.Equal("储值充值成功", data["thing5"]);
        Assert.Equal("成功", data["phrase6"]);
        Assert.Equal("R123", data["character_string7"]);
        Assert.False(data.ContainsKey("name8"));
        Assert.Empty(SystemMessages.Fill(["number1", "date2"], new MessageFacts(), Shanghai));
    }

    [Fact]
    public void The_first_thing_key_takes_the_thing_and_the_next_ones_the_place_when_there_is_one()
    {
        var ready = SystemMessages.Fill(["thing1", "character_string2", "thing3"], new MessageFacts(Thing: "保温杯", Reference: "123", Place: "南京西路店"), Shanghai);
        Assert.Equal(("保温杯", "南京西路店"), (ready["thing1"], ready["thing3"]));
        var anywhere = SystemMessages.Fill(["thing1", "thing3"], new MessageFacts(Thing: "保温杯"), Shanghai);
        Assert.Equal(("保温杯", "保温杯"), (anywhere["thing1"], anywhere["thing3"]));
    }
}
