namespace Guide.Api.OpenApi;

/// <summary>One stable machine <c>code</c> of a problem response: the HTTP status it always comes with, and what it means.</summary>
public sealed record ErrorCode(string Code, int Status, string Meaning);

/// <summary>
/// Every <c>code</c> the API answers in a problem response, with its one status. Endpoints declare which of
/// them they can give (<see cref="DeclaredErrorsExtensions.Errors"/>); the OpenAPI document lists them per
/// operation, and the test suite checks every problem it receives against that list.
/// </summary>
public static class ErrorCatalog
{
    private static readonly ErrorCode[] All =
    [
        // The request itself (any endpoint that reads a body, a query or a header).
        new("request.malformed", 400, "The body, a query parameter or a header could not be read (the problem names the field)."),
        new("request.validation_failed", 400, "Fields break their rules; `errors` maps each field to its messages."),
        new("request.too_large", 413, "The body is larger than this endpoint accepts."),
        new("request.unsupported_media_type", 415, "The body is not JSON (or not the type this endpoint reads), or names an unknown charset."),

        // Bearer tokens (shopper, guide, HQ).
        new("auth.unauthenticated", 401, "No bearer token was sent."),
        new("auth.invalid_token", 401, "The bearer token is not one of ours, or is for another audience."),
        new("auth.token_expired", 401, "The bearer token has expired: log in again (the client's renewal hook)."),
        new("auth.forbidden", 403, "The token is valid but its role may not do this."),

        // Integration HMAC signatures.
        new("integration.missing_signature", 401, "One of X-Guide-Key-Id, X-Guide-Timestamp, X-Guide-Nonce, X-Guide-Signature is missing."),
        new("integration.unknown_client", 401, "No integration client has this key id."),
        new("integration.client_disabled", 401, "HQ disabled this integration client."),
        new("integration.stale_timestamp", 401, "X-Guide-Timestamp is more than 5 minutes away from our clock."),
        new("integration.bad_signature", 401, "The signature does not match the request and the client's current secret."),
        new("integration.nonce_reused", 401, "This nonce was used already; every request needs a new one."),
        new("integration.member_id_not_allowed", 403, "This client may not charge by member id (only the online mall may); send the member's payment code."),
        new("integration.key_id_taken", 409, "Another integration client has this key id."),
        new("integration.client_not_found", 404, "No such integration client."),

        // Sessions and people.
        new("session.invalid_code", 401, "The wx.login code is invalid, expired or already used; call wx.login again."),
        new("member.not_found", 404, "No such member (or not one this caller may see)."),
        new("member.invalid_phone_code", 400, "The getPhoneNumber code is invalid, expired or already used."),
        new("weixin.unavailable", 503, "WeChat did not answer as expected; try again shortly."),
        new("admin.invalid_credentials", 401, "User name or password is wrong."),
        new("admin.login_throttled", 429, "Too many failed log-ins for this user name; wait `retryAfterSeconds` (also the Retry-After header)."),
        new("admin.user_name_taken", 409, "Another HQ account has this user name."),
        new("guide.invalid_code", 401, "The WeCom OAuth code is invalid, expired or already used."),
        new("guide.not_registered", 403, "This WeCom user is not a registered guide; HQ imports guides first."),
        new("guide.not_corp_member", 403, "The OAuth code belongs to someone outside the brand's WeCom."),
        new("guide.inactive", 403, "This guide account is not active."),
        new("guide.not_a_manager", 403, "Only store and area managers see other guides."),
        new("guide.not_found", 404, "No such guide."),
        new("guide.scene_not_found", 404, "No active guide has this mini-program code scene (the guide left, or the scene was never ours)."),
        new("member_guide.guide_inactive", 409, "The guide is not active; a member is re-assigned to an active guide only."),
        new("commission_period.already_closed", 409, "The commission month is closed already."),
        new("commission_period.not_closed", 409, "The commission month is not closed: there is nothing to reopen."),
        new("commission_period.not_begun", 409, "The commission month has not begun yet: a month is closed once it has begun."),
        new("guides.import_invalid", 400, "The guides file was not imported; the problem names the first bad line."),
        new("store.not_found", 404, "No such store."),
        new("store.code_taken", 409, "Another store has this code."),

        // HQ money actions.
        new("idempotency.key_required", 400, "Send an Idempotency-Key header (8 to 64 letters, digits, '-' or '_') with every HQ money action."),
        new("idempotency.key_reused", 409, "This Idempotency-Key was used for another request."),

        // Wallet (储值).
        new("wallet.insufficient_balance", 409, "The wallet's balance is not enough."),
        new("wallet.document_number_reused", 409, "This client charged this document number already with another payload."),
        new("wallet.refund_number_reused", 409, "This client used this refund number already with another payload."),
        new("wallet.refund_exceeds_charge", 409, "The refund is more than what is left of the charge (`refundable`)."),
        new("wallet.charge_not_found", 404, "This client made no wallet charge for this document number."),
        new("wallet.payment_code_invalid", 404, "No such payment code (or another member's)."),
        new("wallet.payment_code_expired", 400, "The payment code has expired (they live 60 seconds); ask the member for a new one."),
        new("wallet.payment_code_used", 409, "The payment code was used already; ask the member for a new one."),
        new("wallet.confirmation_required", 403, "Above the password-free limit the member must confirm the amount in the mini program."),
        new("wallet.confirmation_invalid", 404, "No such confirmation (or another member's)."),
        new("wallet.confirmation_expired", 400, "The confirmation has expired (they live 5 minutes)."),
        new("wallet.confirmation_used", 409, "The confirmation was used already."),
        new("wallet.confirmation_amount_mismatch", 400, "The member confirmed another amount."),

        // Recharges (充值).
        new("recharge_package.not_found", 404, "No such recharge package."),
        new("recharge_package.not_on_sale", 409, "This package is not on sale now."),
        new("recharge.not_found", 404, "No such recharge (or not this member's)."),
        new("recharge.limit_reached", 409, "The member has bought this package as often as it may be bought."),
        new("recharge.not_refundable", 409, "Only a paid recharge can be refunded."),
        new("recharge.nothing_to_refund", 409, "Everything the recharge brought was used; nothing can be paid back."),
        new("recharge.partly_spent", 409, "Part of the recharge was used: refund with force and a reason (the problem gives paid, used and refundable)."),
        new("recharge.reason_required", 400, "A forced or off-channel refund needs a reason."),

        // Points (积分).
        new("points.insufficient", 409, "The member's spendable points (not frozen, not expired) are not enough."),
        new("points.below_minimum", 409, "Fewer points than HQ's minimum per deduction (`minPoints`)."),
        new("points.not_whole_fen", 409, "At HQ's rate these points are not a whole number of fen; `lower` and `higher` are the nearest that are."),
        new("points.share_exceeded", 409, "Points may pay at most HQ's share of the document: `maxPoints` here."),
        new("points.document_number_reused", 409, "This client deducted points for this document already, with other points, amount, member or store."),
        new("points.deduction_not_found", 404, "This client deducted no points for this documentNumber."),
        new("points.refund_exceeds_deduction", 409, "The refund returns more points than are left of the deduction (`refundable`)."),
        new("points.refund_number_reused", 409, "This refund number was used already for another document or number of points."),

        // Points mall (积分商城).
        new("mall.item_not_found", 404, "No such item in the points mall (or it was archived)."),
        new("mall.not_on_sale", 409, "The item is not on sale now (outside its on-sale window)."),
        new("mall.level_not_allowed", 403, "The member's level may not redeem this item."),
        new("mall.limit_reached", 409, "The member reached the item's limit per day or in total."),
        new("mall.sold_out", 409, "The item's stock is not enough for this quantity."),
        new("mall.request_reused", 409, "This requestId was sent already with another body; a new redemption needs a new requestId."),
        new("mall.redemption_not_found", 404, "No such redemption (or not this member's)."),
        new("mall.not_cancellable", 409, "Only a redemption not yet picked up or shipped can be cancelled."),
        new("mall.cash_paid", 409, "A points + cash redemption whose cash part was paid cannot be cancelled in the mini program (the store can help)."),
        new("mall.payment_in_progress", 409, "WeChat Pay is still processing the cash part's payment; cancel again in a minute."),
        new("mall.not_fulfillable", 409, "The redemption was fulfilled or cancelled already, or is not fulfilled this way (pickup vs shipment)."),
        new("mall.pickup_code_invalid", 404, "No pickup redemption has this verification code."),
        new("mall.codes_invalid", 400, "The codes file was not imported (bad line, repeated code, code already in the pool, not a coupon item); `lineErrors` names each line."),
        new("mall.stock_from_codes", 409, "A coupon item's stock is its unused codes: import codes instead of restocking; it is not removed by hand either."),
        new("mall.stock_insufficient", 409, "Fewer units are left than the removal asks for (`available`, `requested`); nothing was removed."),
        new("mall.export_too_large", 400, "More redemptions match than one export holds (`total`, `maxRows`): narrow the filters."),
        new("mall.pickup_other_store", 403, "The redemption is picked up in another store: a guide of that store hands it out."),

        // Simulator mode only (/api/simulator).
        new("simulator.off", 404, "The simulator is not running (simulator mode only)."),
        new("simulator.order_not_found", 404, "The fake WeChat Pay has no order with this outTradeNo."),
        new("simulator.order_closed", 409, "The order was closed; it can no longer be paid."),
        new("simulator.refund_not_found", 404, "The fake WeChat Pay has no refund with this outRefundNo."),

        // Sales documents.
        new("document.number_reused", 409, "This client recorded this document number already with another payload."),
        new("document.not_found", 404, "No sales document has this id."),
        new("document.original_not_found", 404, "This client recorded no sale with the refund's originalDocumentNumber."),
        new("document.unknown_line", 400, "The original sale has no line with this originalLineNo."),
        new("document.refund_exceeds_sale", 409, "The refund returns more of a line than was sold and not yet refunded."),
        new("document.points_not_deducted", 409, "The document's points payment is not what this client's points deduction (or, for a refund, its points refund) of this number recorded."),

        // Member levels.
        new("member_level.not_found", 404, "No such member level."),
        new("member_level.rank_taken", 409, "Another member level has this rank."),
        new("member_level.rank_held", 409, "Members hold or packages grant this level: its rank cannot change."),

        // Points for group actions.
        new("group_action_rule.not_found", 404, "No such group-action rule (or it was deleted)."),
        new("group_action_rule.kind_exists", 409, "A live rule of this kind exists already (one per kind): change it, or delete it first."),
        new("group_action_rule.built_in", 409, "The built-in purchase rule is changed in the points settings and never deleted."),

        // Commission.
        new("commission_rule.not_found", 404, "No such commission rule (or it was deleted)."),
        new("commission_rule.overlap", 409, "Another live rule of the same scope and scope value applies on some of these dates: `ruleId` names it (with its `effectiveFrom` and `effectiveTo`)."),
        // Commission reports.
        new("commission.document_is_refund", 409, "The document is a refund: its commission follows its sale, re-attribute the sale."),
        new("commission.document_unattributed", 409, "The sale named no guide, so it earned no commission: there is nothing to re-attribute."),
        new("commission.already_attributed", 409, "The guide named holds this sale's commission already."),
        new("commission.not_your_guide", 403, "The guide is not you, nor a guide of a store you manage (a store manager's store, an area manager's areas)."),

        // Care plans (issue 19, part 1).
        new("care_plan.not_found", 404, "No such care plan (or it was deleted, or, for a manager, it does not reach the stores they manage)."),
        new("care_plan.read_only", 403, "The plan is HQ's or another manager's: a manager sees it but only its owner (or HQ) changes it."),
        new("care_plan.outside_scope", 403, "storeIds names stores the manager does not manage (`storeIds` lists them)."),
        new("care_plan.issue_time_out_of_range", 400, "issueTime is outside 07:00-23:00 brand time."),
        new("care_plan.unknown_placeholder", 400, "The script names a placeholder other than {name} {level} {points} {birthday} (`placeholders` lists them)."),
        new("care_plan.not_a_list_plan", 409, "Only an imported_list plan takes a list of members."),
        new("care_plan.bad_list", 400, "The list was not imported; `lineErrors` lists every bad line (line, field, message). Nothing was saved."),
        // Care tasks: the guide workbench, urging, handover and the store's default guide (issue 19 part 3).
        new("care_task.not_found", 404, "No such care task."),
        new("care_task.not_yours", 403, "The care task is another guide's (or nobody's yet): only its own guide completes or abandons it."),
        new("care_task.closed", 409, "The care task is no longer pending (completed, abandoned or expired)."),
        new("care_task.past_deadline", 409, "The care task's deadline has passed (now >= dueAt): it expires and can no longer be closed."),
        new("care_task.outside_scope", 403, "The care task's store (or the store or area asked for) is not one you manage (a store manager's store, an area manager's areas)."),
        new("guide.handover_to_self", 409, "A guide cannot hand over to themselves: name another guide."),
        new("guide.successor_inactive", 409, "The successor is not active; choose an active guide."),
        new("store.default_guide_not_in_store", 409, "The default guide must be an active guide of this store."),
        // Messaging: templates, the shopper's consent and subscriptions, the guide's WeCom messages (issue 20, consent).
        new("message_template.not_found", 404, "No such message template."),
        new("message_template.external_id_taken", 409, "Another template of this channel has this external id (WeChat template id or SMS code)."),
        new("message_template.purpose_taken", 409, "Another template of this channel carries this purpose: deactivate it (or clear its purpose) first."),
        new("message.unknown_template", 400, "A template id is not one of our active templates of the channel (a shopper's accepted subscribe templates: `templateIds` lists them; a campaign's template); nothing was recorded."),
        new("message.not_found", 404, "No such WeCom message."),
        new("message.not_yours", 403, "The message is on another guide's workbench: only its guide marks it sent."),
        new("message.not_awaiting", 409, "The message is not awaiting its guide (already sent, or never reached the workbench)."),
        // Fatigue rules (issue 20, helper fatigue).
        new("fatigue.conflicting_windows", 400, "Two windows contradict each other (same scope and days with different caps, a longer window allowing fewer, a channel allowing more than all channels): the message names them."),
        new("fatigue.unknown_member", 400, "The whitelist names members that do not exist (`memberIds` lists them)."),
        new("fatigue.version_conflict", 409, "The fatigue rules changed since they were read (`currentVersion`): read them again and resend."),

        // Campaigns (issue 20, part 4).
        new("campaign.not_found", 404, "No such campaign."),
        new("campaign.empty_audience", 422, "The campaign's audience has no members now: nothing was sent."),
        new("campaign.already_sent", 409, "The campaign was sent already (or is being sent): a campaign is sent once, and its list no longer changes."),
        new("campaign.bad_list", 400, "The list was not imported; `lineErrors` lists every bad line (line, field, message). Nothing was saved."),
    ];

    private static readonly Dictionary<string, ErrorCode> ByCode = All.ToDictionary(e => e.Code);

    public static IReadOnlyCollection<ErrorCode> Codes => All;

    public static ErrorCode Get(string code) =>
        ByCode.TryGetValue(code, out var error) ? error : throw new ArgumentException($"'{code}' is not in the error catalog.", nameof(code));

    public static bool TryGet(string code, out ErrorCode error) => ByCode.TryGetValue(code, out error!);
}
