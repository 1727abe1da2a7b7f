using System.Xml;
using System.Xml.Linq;

namespace Guide.Weixin.Callbacks;

/// <summary>A decrypted WeCom callback event (MsgType <c>event</c>).</summary>
public abstract record WeComCallbackEvent(string ToUserName, DateTimeOffset CreateTime, string Event, string RawXml)
{
    /// <summary>
    /// Built from the event itself (never from arrival) so that a redelivered event collides with the first.
    /// </summary>
    public abstract string DeduplicationKey { get; }
}

/// <summary>ChangeType of <c>change_external_contact</c>.</summary>
public enum ExternalContactChange
{
    Unknown,
    /// <summary><c>add_external_contact</c>: a guide added a customer.</summary>
    Added,
    /// <summary><c>edit_external_contact</c>: remark, tags or description changed.</summary>
    Edited,
    /// <summary><c>add_half_external_contact</c>: the customer added the guide without verification, not yet accepted.</summary>
    HalfAdded,
    /// <summary><c>del_external_contact</c>: the guide deleted the customer.</summary>
    DeletedByGuide,
    /// <summary><c>del_follow_user</c>: the customer deleted the guide.</summary>
    DeletedByCustomer,
    /// <summary><c>transfer_fail</c>: a hand-over of the customer failed.</summary>
    TransferFailed,
}

/// <summary><c>change_external_contact</c>: a relation between a guide (UserID) and a customer changed.</summary>
public sealed record ExternalContactChanged(
    string ToUserName, DateTimeOffset CreateTime, string RawXml,
    string ChangeTypeName, ExternalContactChange ChangeType,
    string UserId, string ExternalUserId,
    // State: the contact way's state, present on the first add only.
    string? State, string? WelcomeCode, string? FailReason)
    : WeComCallbackEvent(ToUserName, CreateTime, "change_external_contact", RawXml)
{
    public override string DeduplicationKey =>
        $"change_external_contact:{ChangeTypeName}:{UserId}:{ExternalUserId}:{CreateTime.ToUnixTimeSeconds()}";
}

/// <summary>ChangeType of <c>change_external_chat</c>.</summary>
public enum ExternalChatChange { Unknown, Created, Updated, Dismissed }

/// <summary>
/// <c>change_external_chat</c>: a customer group was created, changed or dismissed. These events can be lost
/// or reordered: treat one as a hint and re-read the group with groupchat/get.
/// </summary>
public sealed record ExternalChatChanged(
    string ToUserName, DateTimeOffset CreateTime, string RawXml,
    string ChatId, string ChangeTypeName, ExternalChatChange ChangeType,
    // UpdateDetail (updates only): add_member, del_member, change_owner, change_name, change_notice.
    string? UpdateDetail, int? JoinScene, int? QuitScene, int? MemChangeCount,
    IReadOnlyList<string> MemChangeList, long? LastMemVer, long? CurMemVer)
    : WeComCallbackEvent(ToUserName, CreateTime, "change_external_chat", RawXml)
{
    public override string DeduplicationKey =>
        $"change_external_chat:{ChatId}:{ChangeTypeName}:{UpdateDetail}:{CreateTime.ToUnixTimeSeconds()}:{CurMemVer}";
}

/// <summary>Any other event, kept raw so that nothing is lost.</summary>
public sealed record OtherWeComEvent(string ToUserName, DateTimeOffset CreateTime, string Event, string? ChangeType, string RawXml)
    : WeComCallbackEvent(ToUserName, CreateTime, Event, RawXml)
{
    // string.GetHashCode differs per process; the key must be the same on every instance and after restarts.
    public override string DeduplicationKey =>
        $"{Event}:{ChangeType}:{CreateTime.ToUnixTimeSeconds()}:{Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(RawXml)))}";
}

/// <summary>Parses decrypted WeCom callback XML into <see cref="WeComCallbackEvent"/> records.</summary>
public static class WeComCallbackEventParser
{
    public static WeComCallbackEvent Parse(string xml)
    {
        XElement root;
        try { root = CallbackXml.Parse(xml).Root ?? throw new WeixinCallbackException("empty XML", malformed: true); }
        catch (XmlException) { throw new WeixinCallbackException("decrypted message is not XML", malformed: true); }

        string? Text(string name) => root.Element(name)?.Value is { Length: > 0 } v ? v : null;
        int? Int(string name) => int.TryParse(Text(name), out var i) ? i : null;
        long? Long(string name) => long.TryParse(Text(name), out var l) ? l : null;

        var to = Text("ToUserName") ?? "";
        // 1970 to 9999: what every database can store (MySQL's DATETIME starts at year 1000).
        var createSeconds = Long("CreateTime") ?? 0;
        if (createSeconds is < 0 or > 253_402_300_799) throw new WeixinCallbackException("CreateTime out of range", malformed: true);
        var created = DateTimeOffset.FromUnixTimeSeconds(createSeconds);
        var evt = Text("Event") ?? "";
        var changeType = Text("ChangeType");
        switch (evt)
        {
            case "change_external_contact":
                return new ExternalContactChanged(to, created, xml, changeType ?? "", changeType switch
                    {
                        "add_external_contact" => ExternalContactChange.Added,
                        "edit_external_contact" => ExternalContactChange.Edited,
                        "add_half_external_contact" => ExternalContactChange.HalfAdded,
                        "del_external_contact" => ExternalContactChange.DeletedByGuide,
                        "del_follow_user" => ExternalContactChange.DeletedByCustomer,
                        "transfer_fail" => ExternalContactChange.TransferFailed,
                        _ => ExternalContactChange.Unknown,
                    },
                    Text("UserID") ?? "", Text("ExternalUserID") ?? "", Text("State"), Text("WelcomeCode"), Text("FailReason"));
            case "change_external_chat":
                return new ExternalChatChanged(to, created, xml, Text("ChatId") ?? "", changeType ?? "", changeType switch
                    {
                        "create" => ExternalChatChange.Created,
                        "update" => ExternalChatChange.Updated,
                        "dismiss" => ExternalChatChange.Dismissed,
                        _ => ExternalChatChange.Unknown,
                    },
                    Text("UpdateDetail"), Int("JoinScene"), Int("QuitScene"), Int("MemChangeCnt"),
                    MemberList(root.Element("MemChangeList")), Long("LastMemVer"), Long("CurMemVer"));
            default:
                return new OtherWeComEvent(to, created, evt, changeType, xml);
        }
    }

    // Newer events list <Item> children; older ones put comma-separated ids in the element itself
    // (see https://github.com/binarywang/WxJava/pull/3905 and WeCom doc 96361, 客户群变更事件).
    private static IReadOnlyList<string> MemberList(XElement? element)
    {
        if (element is null) return [];
        var items = element.Elements("Item").Select(e => e.Value).Where(v => v.Length > 0).ToList();
        return items.Count > 0 ? items : element.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
