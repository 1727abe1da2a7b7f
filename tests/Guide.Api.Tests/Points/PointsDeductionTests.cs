using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Integration;
using Guide.Domain.Points;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Points;

/// <summary>
/// Points as payment at the till and in the online mall (积分抵现), over signed HTTP on a database of its own with a
/// fake clock: HQ's rate, share and minimum; lots spent earliest expiry first and given back to where they came from;
/// one payment code paying the points part and the wallet part of one document; documents whose points line must
/// match a deduction; 50 racing deductions on one account. Expected numbers come from the scenario.
/// </summary>
public abstract class PointsDeductionTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture, IFakeClockFixture
{
    private DateTimeOffset Now => Api.Time.GetUtcNow();

    private Task SettingsAsync(int perYuan = 100, int share = 50, int min = 1, bool frozen = false, int window = 7) =>
        Api.SendAsync(new UpdatePointsSettings(PointsExpiryPolicy.RollingMonths, 12, 100, true, false, window, PointsRefundPolicy.Debt,
            perYuan, share, min, frozen));

    private HttpClient Pos(IntegrationClientCredentials c) => Api.IntegrationClient(c, () => Api.Time.GetUtcNow());

    private Task AdjustAsync(Guid memberId, long points) => Api.SendAsync(new AdjustPoints(memberId, points, "test", Guid.NewGuid(), Guid.NewGuid().ToString()));

    private static Task<HttpResponseMessage> DeductAsync(HttpClient pos, object body) => pos.PostAsJsonAsync("/api/integration/points/deductions", body);

    private static Task<HttpResponseMessage> RefundAsync(HttpClient pos, object body) => pos.PostAsJsonAsync("/api/integration/points/deductions/refunds", body);

    /// <summary>The member's payment code, asked with a token issued at the fake clock's time (the clock runs ahead of the log-in).</summary>
    private async Task<string> PaymentCodeAsync(ApiFixture.LoggedIn member)
    {
        var response = await Api.Client(Api.MemberToken(member.Id)).GetAsync("/api/mp/wallet/payment-code");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("code").GetString()!;
    }

    private async Task<long> AvailableAsync(Guid memberId) => (await Api.SendAsync(new GetPoints(memberId))).Available;

    /// <summary>balance = sum of entries = lots' remaining - debt; every lot within 0 and what it brought; lots = their lines.</summary>
    private Task AssertConsistentAsync(Guid memberId) => Api.InScopeAsync(async db =>
    {
        var account = await db.PointsAccounts.AsNoTracking().SingleAsync(a => a.MemberId == memberId);
        var lots = await db.PointsLots.AsNoTracking().Where(l => l.MemberId == memberId).ToListAsync();
        Assert.Equal(account.Balance, await db.PointsEntries.Where(e => e.MemberId == memberId).SumAsync(e => e.Delta));
        Assert.Equal(account.Balance, lots.Sum(l => l.Remaining) - account.Debt);
        Assert.All(lots, l => Assert.InRange(l.Remaining, 0, l.Amount));
        var lines = await db.PointsEntryLines.Where(x => db.PointsEntries.Any(e => e.Id == x.EntryId && e.MemberId == memberId)).ToListAsync();
        foreach (var lot in lots) Assert.Equal(lot.Remaining, lines.Where(x => x.LotId == lot.Id).Sum(x => x.Delta));
        var deductions = await db.PointsDeductions.AsNoTracking().Where(d => d.MemberId == memberId).ToListAsync();
        foreach (var d in deductions)
            Assert.Equal(d.RefundedPoints, await db.PointsDeductionRefunds.Where(r => r.DeductionId == d.Id).SumAsync(r => (long?)r.Points) ?? 0);
    });

    [SkippableFact]
    public async Task A_deduction_spends_earliest_expiry_first_answers_whole_fen_and_replays()
    {
        await SettingsAsync(perYuan: 100, share: 50, min: 100);
        var member = await Api.LogInMemberAsync();
        var mall = Pos(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: true));
        var t0 = Now;
        await AdjustAsync(member.Id, 300);                 // expires t0 + 12 months
        Api.Time.Advance(TimeSpan.FromDays(31));
        await AdjustAsync(member.Id, 500);                 // expires a month later

        var doc = ApiFixture.Unique("SO");
        var body = new { documentNumber = doc, points = 400, documentAmount = 10_000, memberId = member.Id };
        var first = await DeductAsync(mall, body);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await first.JsonAsync();
        Assert.Equal(400, answer.GetProperty("amount").GetInt64());       // 100 points = 1 yuan: 400 points = 400 fen
        Assert.Equal(400, answer.GetProperty("balance").GetProperty("available").GetInt64());
        Assert.False(answer.GetProperty("replayed").GetBoolean());
        var lots = await Api.DbAsync(db => db.PointsLots.AsNoTracking().Where(l => l.MemberId == member.Id).OrderBy(l => l.EarnedAt).ToListAsync());
        Assert.Equal([0L, 400L], lots.Select(l => l.Remaining).ToArray()); // the earlier-expiring 300 went first

        var again = await (await DeductAsync(mall, body)).JsonAsync();
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(answer.GetProperty("deductionId").GetGuid(), again.GetProperty("deductionId").GetGuid());
        Assert.Equal(400, await AvailableAsync(member.Id));
        await AssertProblemAsync(await DeductAsync(mall, body with { points = 300 }), HttpStatusCode.Conflict, "points.document_number_reused");

        // HQ's rules: below the minimum, above the share (50% of 5 yuan = 250 points), not a whole fen at 150 points per yuan.
        await AssertProblemAsync(await DeductAsync(mall, new { documentNumber = ApiFixture.Unique("SO"), points = 99, documentAmount = 10_000, memberId = member.Id }),
            HttpStatusCode.Conflict, "points.below_minimum");
        var share = await AssertProblemAsync(await DeductAsync(mall, new { documentNumber = ApiFixture.Unique("SO"), points = 300, documentAmount = 500, memberId = member.Id }),
            HttpStatusCode.Conflict, "points.share_exceeded");
        Assert.Equal(250, share.GetProperty("maxPoints").GetInt64());
        await AssertProblemAsync(await DeductAsync(mall, new { documentNumber = ApiFixture.Unique("SO"), points = 500, documentAmount = 10_000, memberId = member.Id }),
            HttpStatusCode.Conflict, "points.insufficient");
        await SettingsAsync(perYuan: 150, share: 50, min: 100);
        var fen = await AssertProblemAsync(await DeductAsync(mall, new { documentNumber = ApiFixture.Unique("SO"), points = 100, documentAmount = 10_000, memberId = member.Id }),
            HttpStatusCode.Conflict, "points.not_whole_fen");
        Assert.Equal((3L, 99L, 102L), (fen.GetProperty("step").GetInt64(), fen.GetProperty("lower").GetInt64(), fen.GetProperty("higher").GetInt64()));
        var odd = await (await DeductAsync(mall, new { documentNumber = ApiFixture.Unique("SO"), points = 150, documentAmount = 10_000, memberId = member.Id })).JsonAsync();
        Assert.Equal(100, odd.GetProperty("amount").GetInt64());          // 150 points at 150 per yuan = 100 fen
        Assert.Equal(250, await AvailableAsync(member.Id));

        // Bad input: 400, nothing written.
        foreach (var bad in new object[]
                 {
                     new { documentNumber = "", points = 100, documentAmount = 100, memberId = member.Id },
                     new { documentNumber = "X", points = 0, documentAmount = 100, memberId = member.Id },
                     new { documentNumber = "X", points = 100, documentAmount = 0, memberId = member.Id },
                     new { documentNumber = "X", points = 100, documentAmount = 100 },
                     new { documentNumber = "X", points = 100, documentAmount = 100, memberId = member.Id, paymentCode = "123" },
                 })
            await AssertProblemAsync(await DeductAsync(mall, bad), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(2, await Api.DbAsync(db => db.PointsDeductions.CountAsync(d => d.MemberId == member.Id)));
        Assert.Equal(t0.AddMonths(12), lots[0].ExpiresAt);
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Frozen_points_pay_only_when_hq_allows_it()
    {
        await SettingsAsync(window: 7, frozen: false);
        var member = await Api.LogInMemberAsync();
        var pos = Pos(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: true));
        var sale = new
        {
            documentNumber = ApiFixture.Unique("SO"), kind = "sale", memberId = member.Id, documentTime = Now.AddMinutes(-1),
            lines = new[] { new { lineNo = 1, sku = "SKU-TEE", product = "T恤", quantity = 1, unitPrice = 20_000, paidAmount = 20_000 } },
            payments = new[] { new { method = "cash", amount = 20_000 } },
        };
        (await pos.PostAsJsonAsync("/api/integration/documents", sale)).EnsureSuccessStatusCode(); // 200 points, frozen 7 days
        var body = new { documentNumber = ApiFixture.Unique("SO"), points = 100, documentAmount = 10_000, memberId = member.Id };
        await AssertProblemAsync(await DeductAsync(pos, body), HttpStatusCode.Conflict, "points.insufficient");
        await SettingsAsync(window: 7, frozen: true);
        Assert.Equal(HttpStatusCode.OK, (await DeductAsync(pos, body)).StatusCode);
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Refunds_give_points_back_to_their_lots_last_spent_first_and_expired_ones_come_back_expired()
    {
        await SettingsAsync(perYuan: 100, share: 100, min: 1);
        var member = await Api.LogInMemberAsync();
        var mall = Pos(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: true));
        var t0 = Now;
        await AdjustAsync(member.Id, 300);                 // A: expires t0 + 12 months
        Api.Time.Advance(TimeSpan.FromDays(60));
        await AdjustAsync(member.Id, 500);                 // B: expires t0 + 60 days + 12 months
        var doc = ApiFixture.Unique("SO");
        Assert.Equal(HttpStatusCode.OK, (await DeductAsync(mall, new { documentNumber = doc, points = 400, documentAmount = 10_000, memberId = member.Id })).StatusCode);
        // Drawn: A 300, then B 100.

        var refund1 = new { refundNumber = ApiFixture.Unique("RF"), documentNumber = doc, points = 150 };
        var r1 = await (await RefundAsync(mall, refund1)).JsonAsync();
        Assert.Equal((150L, 150L, 0L), (r1.GetProperty("points").GetInt64(), r1.GetProperty("amount").GetInt64(), r1.GetProperty("expiredPoints").GetInt64()));
        Assert.Equal(400 + 150, r1.GetProperty("balance").GetProperty("available").GetInt64());
        var back = await Api.DbAsync(db => db.PointsLots.AsNoTracking().Where(l => l.MemberId == member.Id && l.Source == PointsLotSource.DeductionRefund)
            .OrderBy(l => l.ExpiresAt).ToListAsync());
        // B's 100 (spent last) come back first, then 50 of A's; each with the expiry of its lot.
        Assert.Equal([(50L, (DateTimeOffset?)t0.AddMonths(12)), (100L, t0.AddDays(60).AddMonths(12))], back.Select(l => (l.Amount, l.ExpiresAt)).ToArray());
        var replay = await (await RefundAsync(mall, refund1)).JsonAsync();
        Assert.True(replay.GetProperty("replayed").GetBoolean());
        await AssertProblemAsync(await RefundAsync(mall, refund1 with { points = 151 }), HttpStatusCode.Conflict, "points.refund_number_reused");

        // A year later A's expiry has passed: its remaining 250 come back expired, recorded, and the member gains no time.
        Api.Time.Advance(TimeSpan.FromDays(320));
        var available = await AvailableAsync(member.Id);
        await AssertProblemAsync(await RefundAsync(mall, new { refundNumber = ApiFixture.Unique("RF"), documentNumber = doc, points = 251 }),
            HttpStatusCode.Conflict, "points.refund_exceeds_deduction");
        var r2 = await (await RefundAsync(mall, new { refundNumber = ApiFixture.Unique("RF"), documentNumber = doc, points = 250 })).JsonAsync();
        Assert.Equal(250, r2.GetProperty("expiredPoints").GetInt64());
        Assert.Equal(available, await AvailableAsync(member.Id));
        Assert.Equal(1, await Api.DbAsync(db => db.PointsEntries.CountAsync(e => e.MemberId == member.Id && e.Kind == PointsEntryKind.Expiry && e.Delta == -250)));
        await AssertProblemAsync(await RefundAsync(mall, new { refundNumber = ApiFixture.Unique("RF"), documentNumber = doc, points = 1 }),
            HttpStatusCode.Conflict, "points.refund_exceeds_deduction");

        // Another client's document is not found; bad input is 400.
        var other = Pos(await Api.CreateIntegrationClientAsync());
        await AssertProblemAsync(await RefundAsync(other, new { refundNumber = ApiFixture.Unique("RF"), documentNumber = doc, points = 1 }),
            HttpStatusCode.NotFound, "points.deduction_not_found");
        await AssertProblemAsync(await RefundAsync(mall, new { refundNumber = "", documentNumber = doc, points = 1 }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task One_payment_code_pays_the_points_and_wallet_parts_of_its_first_document_and_nothing_else()
    {
        await SettingsAsync(perYuan: 100, share: 50, min: 1, window: 0);
        var member = await Api.LogInMemberAsync();
        await AdjustAsync(member.Id, 1_000);
        await Api.CreditAsync(member.Id, 50_000);
        var till = Pos(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: false));

        // Points first, then the wallet part of the same document.
        var code = await PaymentCodeAsync(member);
        var doc = ApiFixture.Unique("SO");
        Assert.Equal(HttpStatusCode.OK, (await DeductAsync(till, new { documentNumber = doc, points = 500, documentAmount = 10_000, paymentCode = code })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await till.ChargeAsync(new { documentNumber = doc, amount = 9_500, paymentCode = code })).StatusCode);
        await AssertProblemAsync(await DeductAsync(till, new { documentNumber = ApiFixture.Unique("SO"), points = 100, documentAmount = 10_000, paymentCode = code }),
            HttpStatusCode.Conflict, "wallet.payment_code_used");
        await AssertProblemAsync(await till.ChargeAsync(new { documentNumber = ApiFixture.Unique("SO"), amount = 100, paymentCode = code }),
            HttpStatusCode.Conflict, "wallet.payment_code_used");

        // The wallet first, then points; another client may not use the bound code for "its" document of the same number.
        var code2 = await PaymentCodeAsync(member);
        var doc2 = ApiFixture.Unique("SO");
        Assert.Equal(HttpStatusCode.OK, (await till.ChargeAsync(new { documentNumber = doc2, amount = 1_000, paymentCode = code2 })).StatusCode);
        var otherTill = Pos(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: false));
        await AssertProblemAsync(await DeductAsync(otherTill, new { documentNumber = doc2, points = 100, documentAmount = 2_000, paymentCode = code2 }),
            HttpStatusCode.Conflict, "wallet.payment_code_used");
        Assert.Equal(HttpStatusCode.OK, (await DeductAsync(till, new { documentNumber = doc2, points = 100, documentAmount = 2_000, paymentCode = code2 })).StatusCode);

        // Racing at once, ten times each: the points part and the wallet part of one document both win, once each.
        var code5 = await PaymentCodeAsync(member);
        var doc5 = ApiFixture.Unique("SO");
        using var gate = new SemaphoreSlim(0);
        var race = Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? new Func<Task<HttpResponseMessage>>(() => DeductAsync(till, new { documentNumber = doc5, points = 100, documentAmount = 2_000, paymentCode = code5 }))
            : () => till.ChargeAsync(new { documentNumber = doc5, amount = 1_800, paymentCode = code5 })).Select(async send =>
        {
            await gate.WaitAsync();
            using var response = await send();
            return response.StatusCode;
        }).ToList();
        gate.Release(race.Count);
        var raced = await Task.WhenAll(race);
        Assert.All(raced, s => Assert.Equal(HttpStatusCode.OK, s)); // resends of one document's part answer its first result
        Assert.Equal(1, await Api.DbAsync(db => db.PointsDeductions.CountAsync(d => d.DocumentNumber == doc5)));
        Assert.Equal(1, await Api.DbAsync(db => db.WalletCharges.CountAsync(c => c.DocumentNumber == doc5)));
        await AssertProblemAsync(await till.ChargeAsync(new { documentNumber = ApiFixture.Unique("SO"), amount = 100, paymentCode = code5 }),
            HttpStatusCode.Conflict, "wallet.payment_code_used");

        // A till may not name the member by id; an expired code is refused; a refused deduction leaves the code usable.
        await AssertProblemAsync(await DeductAsync(till, new { documentNumber = ApiFixture.Unique("SO"), points = 100, documentAmount = 10_000, memberId = member.Id }),
            HttpStatusCode.Forbidden, "integration.member_id_not_allowed");
        var code3 = await PaymentCodeAsync(member);
        await AssertProblemAsync(await DeductAsync(till, new { documentNumber = ApiFixture.Unique("SO"), points = 5_000, documentAmount = 100_000, paymentCode = code3 }),
            HttpStatusCode.Conflict, "points.insufficient");
        Assert.Equal(HttpStatusCode.OK, (await DeductAsync(till, new { documentNumber = ApiFixture.Unique("SO"), points = 100, documentAmount = 10_000, paymentCode = code3 })).StatusCode);
        var code4 = await PaymentCodeAsync(member);
        Api.Time.Advance(TimeSpan.FromSeconds(61));
        await AssertProblemAsync(await DeductAsync(till, new { documentNumber = ApiFixture.Unique("SO"), points = 100, documentAmount = 10_000, paymentCode = code4 }),
            HttpStatusCode.BadRequest, "wallet.payment_code_expired");
        await AssertProblemAsync(await DeductAsync(till, new { documentNumber = ApiFixture.Unique("SO"), points = 100, documentAmount = 10_000, paymentCode = "999" }),
            HttpStatusCode.NotFound, "wallet.payment_code_invalid");
        Assert.Equal(1_000 - 500 - 100 - 100 - 100, await AvailableAsync(member.Id));
        await AssertConsistentAsync(member.Id);
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task A_documents_points_line_must_match_its_deduction_and_earns_no_purchase_points()
    {
        await SettingsAsync(perYuan: 100, share: 50, min: 1, window: 0);
        var member = await Api.LogInMemberAsync();
        await AdjustAsync(member.Id, 1_000);
        var pos = Pos(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: true));
        object Sale(string number, params object[] payments) => new
        {
            documentNumber = number, kind = "sale", memberId = member.Id, documentTime = Now.AddMinutes(-1),
            lines = new[] { new { lineNo = 1, sku = "SKU-TEE", product = "T恤", quantity = 2, unitPrice = 5_000, paidAmount = 10_000 } },
            payments,
        };

        // No deduction for this number: a points line is refused, nothing recorded.
        var unpaid = ApiFixture.Unique("SO");
        await AssertProblemAsync(await pos.PostAsJsonAsync("/api/integration/documents", Sale(unpaid, new { method = "points", amount = 1_000 }, new { method = "cash", amount = 9_000 })),
            HttpStatusCode.Conflict, "document.points_not_deducted");
        Assert.Equal(0, await Api.DbAsync(db => db.SalesDocuments.CountAsync(d => d.DocumentNumber == unpaid)));

        var doc = ApiFixture.Unique("SO");
        Assert.Equal(HttpStatusCode.OK, (await DeductAsync(pos, new { documentNumber = doc, points = 1_000, documentAmount = 10_000, memberId = member.Id })).StatusCode);
        // Another amount than deducted, or no points line at all: refused.
        await AssertProblemAsync(await pos.PostAsJsonAsync("/api/integration/documents", Sale(doc, new { method = "points", amount = 900 }, new { method = "cash", amount = 9_100 })),
            HttpStatusCode.Conflict, "document.points_not_deducted");
        await AssertProblemAsync(await pos.PostAsJsonAsync("/api/integration/documents", Sale(doc, new { method = "cash", amount = 10_000 })),
            HttpStatusCode.Conflict, "document.points_not_deducted");
        // As deducted: recorded; the 90 yuan of cash earn 90 points, the 10 yuan paid with points earn none.
        Assert.Equal(HttpStatusCode.OK, (await pos.PostAsJsonAsync("/api/integration/documents",
            Sale(doc, new { method = "points", amount = 1_000 }, new { method = "cash", amount = 9_000 }))).StatusCode);
        Assert.Equal(90, await AvailableAsync(member.Id));

        // The refund document names the points refund by its own number.
        var refundNo = ApiFixture.Unique("RF");
        var refundDoc = new
        {
            documentNumber = refundNo, kind = "refund", originalDocumentNumber = doc, documentTime = Now,
            lines = new[] { new { lineNo = 1, originalLineNo = 1, quantity = 1, paidAmount = 5_000 } },
            payments = new[] { new { method = "points", amount = 500 }, new { method = "cash", amount = 4_500 } },
        };
        await AssertProblemAsync(await pos.PostAsJsonAsync("/api/integration/documents", refundDoc), HttpStatusCode.Conflict, "document.points_not_deducted");
        Assert.Equal(HttpStatusCode.OK, (await RefundAsync(pos, new { refundNumber = refundNo, documentNumber = doc, points = 500 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pos.PostAsJsonAsync("/api/integration/documents", refundDoc)).StatusCode);
        // 500 points back; the refund takes back the purchase points of its half of the cash part: 45 of the 90.
        Assert.Equal(90 + 500 - 45, await AvailableAsync(member.Id));
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Fifty_concurrent_deductions_on_one_account_never_overspend()
    {
        await SettingsAsync(perYuan: 100, share: 100, min: 1);
        var member = await Api.LogInMemberAsync();
        await AdjustAsync(member.Id, 2_000);
        var mall = Pos(await Api.CreateIntegrationClientAsync(mayChargeByMemberId: true));
        using var gate = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 50).Select(async i =>
        {
            await gate.WaitAsync();
            using var response = await DeductAsync(mall, new { documentNumber = $"{ApiFixture.Unique("SO")}-{i}", points = 100, documentAmount = 10_000, memberId = member.Id });
            return response.StatusCode == HttpStatusCode.OK ? "200" : (await response.JsonAsync()).GetProperty("code").GetString();
        }).ToList();
        gate.Release(50);
        var answers = await Task.WhenAll(tasks);
        Assert.Equal(20, answers.Count(a => a == "200"));
        Assert.All(answers.Where(a => a != "200"), a => Assert.Equal("points.insufficient", a));
        Assert.Equal(0, await AvailableAsync(member.Id));
        Assert.Equal(20, await Api.DbAsync(db => db.PointsDeductions.CountAsync(d => d.MemberId == member.Id)));
        await AssertConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Unsigned_calls_are_refused_and_hq_spending_settings_are_validated()
    {
        var anonymous = Api.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/integration/points/deductions", new { documentNumber = "X", points = 1, documentAmount = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.Client(Api.MemberToken((await Api.LogInMemberAsync()).Id))
            .PostAsJsonAsync("/api/integration/points/deductions/refunds", new { refundNumber = "X", documentNumber = "X", points = 1 })).StatusCode);
        var hq = Api.Client(await Api.AdminTokenAsync());
        var settings = await (await hq.GetAsync("/api/admin/points/settings")).JsonAsync();
        Assert.True(settings.TryGetProperty("spendPointsPerYuan", out _));
        foreach (var (field, value) in new (string, int)[] { ("spendPointsPerYuan", 0), ("spendMaxSharePercent", 101), ("spendMinPoints", 0) })
        {
            var body = new Dictionary<string, object?>
            {
                ["expiryPolicy"] = "never", ["pointsPer100Yuan"] = 100, ["walletPrincipalEarns"] = true, ["walletGiftEarns"] = false, ["returnWindowDays"] = 7,
                ["refundPolicy"] = "debt", [field] = value,
            };
            await AssertProblemAsync(await hq.PutAsJsonAsync("/api/admin/points/settings", body), HttpStatusCode.BadRequest, "request.validation_failed");
        }
        var saved = await (await hq.PutAsJsonAsync("/api/admin/points/settings", new
        {
            expiryPolicy = "never", pointsPer100Yuan = 100, walletPrincipalEarns = true, walletGiftEarns = false, returnWindowDays = 7, refundPolicy = "debt",
            spendPointsPerYuan = 200, spendMaxSharePercent = 30,
        })).JsonAsync();
        Assert.Equal((200, 30), (saved.GetProperty("spendPointsPerYuan").GetInt32(), saved.GetProperty("spendMaxSharePercent").GetInt32()));
        // A PUT without the spending fields keeps them.
        var kept = await (await hq.PutAsJsonAsync("/api/admin/points/settings", new
        {
            expiryPolicy = "never", pointsPer100Yuan = 100, walletPrincipalEarns = true, walletGiftEarns = false, returnWindowDays = 7, refundPolicy = "debt",
        })).JsonAsync();
        Assert.Equal(200, kept.GetProperty("spendPointsPerYuan").GetInt32());
    }
}

public sealed class PointsDeductionTestsOnSqlite(FakeClockSqliteApi fixture) : PointsDeductionTests<FakeClockSqliteApi>(fixture), IClassFixture<FakeClockSqliteApi>;

public sealed class PointsDeductionTestsOnMySql(FakeClockMySqlApi fixture) : PointsDeductionTests<FakeClockMySqlApi>(fixture), IClassFixture<FakeClockMySqlApi>;
