using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Wallets;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Wallets;

/// <summary>Paying with the wallet from a POS: split, idempotency, payment codes, confirmations and refunds.</summary>
public abstract class WalletChargeTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private async Task<HttpClient> PosAsync() => Api.IntegrationClient(await Api.CreateIntegrationClientAsync());

    private static string Doc() => ApiFixture.Unique("POS");

    [SkippableTheory]
    [InlineData("/api/integration/wallet/charges")]
    [InlineData("/api/integration/wallet/refunds")]
    public async Task Integration_wallet_routes_need_a_signature_not_a_token(string path)
    {
        await AssertProblemAsync(await Api.Client().PostAsJsonAsync(path, new { }), HttpStatusCode.Unauthorized, "integration.missing_signature");
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(member.Token).PostAsJsonAsync(path, new { }), HttpStatusCode.Unauthorized, "integration.missing_signature");
        var hq = await Api.LogInAdminAsync();
        await AssertProblemAsync(await Api.Client(hq.Token).PostAsJsonAsync(path, new { }), HttpStatusCode.Unauthorized, "integration.missing_signature");
    }

    [SkippableFact]
    public async Task A_charge_splits_proportionally_per_lot_and_a_resend_returns_the_first_result()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 3000, 1000);
        await Api.CreditAsync(member.Id, 6000, 0);
        var pos = await PosAsync();
        var doc = Doc();

        var response = await pos.ChargeAsync(new { documentNumber = doc, amount = 1001, memberId = member.Id });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = await response.JsonAsync();
        // 1001 × 1000/10000 = 100.1 → gift 100 (rounded down), principal 901.
        Assert.Equal(901, first.GetProperty("principal").GetInt64());
        Assert.Equal(100, first.GetProperty("gift").GetInt64());
        Assert.Equal(8099, first.GetProperty("balance").GetProperty("principal").GetInt64());
        Assert.Equal(900, first.GetProperty("balance").GetProperty("gift").GetInt64());
        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.Equal(doc, first.GetProperty("documentNumber").GetString());

        var again = await (await pos.ChargeAsync(new { documentNumber = doc, amount = 1001, memberId = member.Id })).JsonAsync();
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("chargeId").GetGuid(), again.GetProperty("chargeId").GetGuid());
        Assert.Equal(8099, again.GetProperty("balance").GetProperty("principal").GetInt64());
        Assert.Equal((8099L, 900L), await Api.BalanceAsync(member.Id));

        // The oldest lot pays first, in each bucket.
        var lines = await Api.DbAsync(async db =>
        {
            var entryId = await db.WalletCharges.Where(c => c.DocumentNumber == doc).Select(c => c.EntryId).SingleAsync();
            return await db.WalletEntryLines.AsNoTracking().Where(l => l.EntryId == entryId).ToListAsync();
        });
        var line = Assert.Single(lines);
        Assert.Equal((-901L, -100L), (line.PrincipalDelta, line.GiftDelta));

        var reused = await pos.ChargeAsync(new { documentNumber = doc, amount = 5, memberId = member.Id });
        await AssertProblemAsync(reused, HttpStatusCode.Conflict, "wallet.document_number_reused");
        Assert.Equal(3, await Api.EntryCountAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task A_charge_row_is_its_own_idempotency_record_and_older_charges_answer_from_their_ledger_request()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 10_000, 0);
        var credentials = await Api.CreateIntegrationClientAsync();
        var pos = Api.IntegrationClient(credentials);
        var doc = Doc();
        var first = await (await pos.ChargeAsync(new { documentNumber = doc, amount = 700, memberId = member.Id })).JsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await pos.ChargeAsync(new { documentNumber = Doc(), amount = 50, memberId = member.Id })).StatusCode);

        // The resend answers the first result field by field (the balance right after it, not the balance now), from the charge row alone.
        var again = await (await pos.ChargeAsync(new { documentNumber = doc, amount = 700, memberId = member.Id })).JsonAsync();
        Assert.True(again.GetProperty("replayed").GetBoolean());
        foreach (var property in first.EnumerateObject().Where(p => p.Name != "replayed"))
            Assert.Equal(property.Value.GetRawText(), again.GetProperty(property.Name).GetRawText());
        Assert.Equal(9_300, again.GetProperty("balance").GetProperty("principal").GetInt64());
        Assert.Equal(0, await Api.DbAsync(db => db.Set<Guide.Domain.Ledgers.LedgerRequest>().CountAsync(r => r.RequestKey.EndsWith(":" + doc))));
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = doc, amount = 701, memberId = member.Id }),
            HttpStatusCode.Conflict, "wallet.document_number_reused");

        // A charge recorded before its row kept the payload's hash: its ledger_requests row answers the resend.
        var older = Doc();
        var olderFirst = await (await pos.ChargeAsync(new { documentNumber = older, amount = 30, memberId = member.Id })).JsonAsync();
        var request = new ChargeWallet(credentials.Id, older, 30, member.Id, null, null, null);
        await Api.InScopeAsync(async db =>
        {
            await db.WalletCharges.Where(c => c.ClientId == credentials.Id && c.DocumentNumber == older)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.PayloadHash, (string?)null));
            db.Add(new Guide.Domain.Ledgers.LedgerRequest(request.IdempotencyKey, Guide.Domain.Ledgers.LedgerRequest.HashOf(request.IdempotencyPayload),
                olderFirst.GetRawText(), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        var olderAgain = await (await pos.ChargeAsync(new { documentNumber = older, amount = 30, memberId = member.Id })).JsonAsync();
        Assert.True(olderAgain.GetProperty("replayed").GetBoolean());
        Assert.Equal(olderFirst.GetProperty("chargeId").GetGuid(), olderAgain.GetProperty("chargeId").GetGuid());
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = older, amount = 31, memberId = member.Id }),
            HttpStatusCode.Conflict, "wallet.document_number_reused");

        Assert.Equal(3, await Api.DbAsync(db => db.WalletCharges.CountAsync(c => c.MemberId == member.Id)));
        Assert.Equal((10_000L - 700 - 50 - 30, 0L), await Api.BalanceAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task The_same_document_number_from_another_client_is_another_charge()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 1000);
        var doc = Doc();
        Assert.Equal(HttpStatusCode.OK, (await (await PosAsync()).ChargeAsync(new { documentNumber = doc, amount = 100, memberId = member.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await PosAsync()).ChargeAsync(new { documentNumber = doc, amount = 100, memberId = member.Id })).StatusCode);
        Assert.Equal((800L, 0L), await Api.BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task Bad_charges_are_problems_and_debit_nothing()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 500, 50);
        var pos = await PosAsync();

        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 551, memberId = member.Id }), HttpStatusCode.Conflict, "wallet.insufficient_balance");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 0, memberId = member.Id }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = -100, memberId = member.Id }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = "", amount = 1, memberId = member.Id }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 1 }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 1, memberId = member.Id, paymentCode = "912345678901234567" }),
            HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = "1.5", memberId = member.Id }), HttpStatusCode.BadRequest, "request.malformed");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 1, memberId = Guid.NewGuid() }), HttpStatusCode.NotFound, "member.not_found");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 1, memberId = member.Id, storeCode = "NOPE" }), HttpStatusCode.NotFound, "store.not_found");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 1, paymentCode = "912345678901234567" }), HttpStatusCode.NotFound, "wallet.payment_code_invalid");

        Assert.Equal((500L, 50L), await Api.BalanceAsync(member.Id));
        Assert.Equal(1, await Api.EntryCountAsync(member.Id));
        Assert.Equal(0, await Api.DbAsync(db => db.WalletCharges.CountAsync(c => c.MemberId == member.Id)));
    }

    [SkippableFact]
    public async Task A_payment_code_pays_once_and_expires()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 1000);
        var mp = Api.Client(member.Token);
        var pos = await PosAsync();

        var issued = await mp.GetAsync("/api/mp/wallet/payment-code");
        Assert.Equal("no-store", issued.Headers.CacheControl?.ToString());
        var code = (await issued.JsonAsync()).GetProperty("code").GetString()!;
        Assert.Matches("^[0-9]{18}$", code);
        Assert.NotEqual(code, (await (await mp.GetAsync("/api/mp/wallet/payment-code")).JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(0, await Api.DbAsync(db => db.WalletTokens.CountAsync(t => t.Hash == code)));

        var paid = await (await pos.ChargeAsync(new { documentNumber = Doc(), amount = 300, paymentCode = code })).JsonAsync();
        Assert.Equal(member.Id, paid.GetProperty("memberId").GetGuid());
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 300, paymentCode = code }), HttpStatusCode.Conflict, "wallet.payment_code_used");

        var refused = (await (await mp.GetAsync("/api/mp/wallet/payment-code")).JsonAsync()).GetProperty("code").GetString()!;
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 5000, paymentCode = refused }), HttpStatusCode.Conflict, "wallet.insufficient_balance");
        var stillGood = await pos.ChargeAsync(new { documentNumber = Doc(), amount = 100, paymentCode = refused });
        Assert.Equal(HttpStatusCode.OK, stillGood.StatusCode); // a refused charge does not spend the code

        var expired = (await (await mp.GetAsync("/api/mp/wallet/payment-code")).JsonAsync()).GetProperty("code").GetString()!;
        var past = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Api.InScopeAsync(db => db.WalletTokens.Where(t => t.MemberId == member.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, past)));
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 100, paymentCode = expired }), HttpStatusCode.BadRequest, "wallet.payment_code_expired");
        Assert.Equal((600L, 0L), await Api.BalanceAsync(member.Id));
    }

    [SkippableFact]
    public async Task Above_the_password_free_limit_the_member_confirms_the_exact_amount()
    {
        var member = await Api.LogInMemberAsync();
        var other = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 100_000);
        var mp = Api.Client(member.Token);
        var pos = await PosAsync();

        var required = await pos.ChargeAsync(new { documentNumber = Doc(), amount = 20_001, memberId = member.Id });
        var problem = await AssertProblemAsync(required, HttpStatusCode.Forbidden, "wallet.confirmation_required");
        Assert.Equal(20_000, problem.GetProperty("passwordFreeLimit").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await pos.ChargeAsync(new { documentNumber = Doc(), amount = 20_000, memberId = member.Id })).StatusCode);

        await AssertProblemAsync(await mp.PostAsJsonAsync("/api/mp/wallet/confirmations", new { amount = 0 }), HttpStatusCode.BadRequest, "request.validation_failed");
        var confirmation = (await (await mp.PostAsJsonAsync("/api/mp/wallet/confirmations", new { amount = 30_000 })).JsonAsync()).GetProperty("confirmation").GetString();
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 25_000, memberId = member.Id, confirmation }),
            HttpStatusCode.BadRequest, "wallet.confirmation_amount_mismatch");
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 30_000, memberId = other.Id, confirmation }),
            HttpStatusCode.NotFound, "wallet.confirmation_invalid");
        Assert.Equal(HttpStatusCode.OK, (await pos.ChargeAsync(new { documentNumber = Doc(), amount = 30_000, memberId = member.Id, confirmation })).StatusCode);
        await AssertProblemAsync(await pos.ChargeAsync(new { documentNumber = Doc(), amount = 30_000, memberId = member.Id, confirmation }),
            HttpStatusCode.Conflict, "wallet.confirmation_used");
        Assert.Equal((50_000L, 0L), await Api.BalanceAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Refunds_return_the_recorded_split_to_the_same_lots_once()
    {
        var member = await Api.LogInMemberAsync();
        var first = await Api.CreditAsync(member.Id, 1000, 1000);
        await Api.CreditAsync(member.Id, 1000, 0);
        var pos = await PosAsync();
        var doc = Doc();
        var charge = await (await pos.ChargeAsync(new { documentNumber = doc, amount = 2400, memberId = member.Id })).JsonAsync();
        // proportional: gift = floor(2400 × 1000 / 3000) = 800, principal 1600 (1000 from the first lot, 600 from the second)
        Assert.Equal(1600, charge.GetProperty("principal").GetInt64());
        Assert.Equal(800, charge.GetProperty("gift").GetInt64());

        var refundNumber = ApiFixture.Unique("R");
        var partial = await (await pos.RefundAsync(new { refundNumber, documentNumber = doc, amount = 1000 })).JsonAsync();
        Assert.Equal(667, partial.GetProperty("principal").GetInt64()); // gift = floor(1000 × 800/2400) = 333
        Assert.Equal(333, partial.GetProperty("gift").GetInt64());
        var replay = await (await pos.RefundAsync(new { refundNumber, documentNumber = doc, amount = 1000 })).JsonAsync();
        Assert.True(replay.GetProperty("replayed").GetBoolean());
        Assert.Equal(partial.GetProperty("refundId").GetGuid(), replay.GetProperty("refundId").GetGuid());
        await AssertProblemAsync(await pos.RefundAsync(new { refundNumber, documentNumber = doc, amount = 999 }), HttpStatusCode.Conflict, "wallet.refund_number_reused");

        var tooMuch = await pos.RefundAsync(new { refundNumber = ApiFixture.Unique("R"), documentNumber = doc, amount = 1401 });
        var problem = await AssertProblemAsync(tooMuch, HttpStatusCode.Conflict, "wallet.refund_exceeds_charge");
        Assert.Equal(1400, problem.GetProperty("refundable").GetInt64());
        var rest = await (await pos.RefundAsync(new { refundNumber = ApiFixture.Unique("R"), documentNumber = doc, amount = 1400 })).JsonAsync();
        Assert.Equal(933, rest.GetProperty("principal").GetInt64());
        Assert.Equal(467, rest.GetProperty("gift").GetInt64());

        Assert.Equal((2000L, 1000L), await Api.BalanceAsync(member.Id));
        var lots = await Api.DbAsync(db => db.WalletLots.AsNoTracking().Where(l => l.MemberId == member.Id).ToListAsync());
        Assert.All(lots, l => Assert.Equal((l.Principal, l.Gift), (l.PrincipalRemaining, l.GiftRemaining)));
        Assert.Contains(lots, l => l.SourceId != null && l.Gift == 1000);
        // The first credit is its own adjustment entry, and the lot it opened got exactly what came back.
        var credit = await Api.DbAsync(db => db.WalletEntries.AsNoTracking().Include(e => e.Lines).SingleAsync(e => e.Id == first.EntryId));
        Assert.Equal((WalletEntryKind.Adjustment, 1000L, 1000L), (credit.Kind, credit.PrincipalDelta, credit.GiftDelta));
        var firstLot = Assert.Single(credit.Lines).LotId;
        var refunded = await Api.DbAsync(db => db.WalletEntryLines.AsNoTracking()
            .Where(l => l.LotId == firstLot && db.WalletEntries.Any(e => e.Id == l.EntryId && e.Kind == WalletEntryKind.ChargeRefund)).ToListAsync());
        Assert.Equal((1000L, 800L), (refunded.Sum(l => l.PrincipalDelta), refunded.Sum(l => l.GiftDelta)));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableFact]
    public async Task Bad_refunds_are_problems_and_write_nothing()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 1000);
        var pos = await PosAsync();
        var doc = Doc();
        await pos.ChargeAsync(new { documentNumber = doc, amount = 100, memberId = member.Id });

        await AssertProblemAsync(await pos.RefundAsync(new { refundNumber = Doc(), documentNumber = "NOPE", amount = 10 }), HttpStatusCode.NotFound, "wallet.charge_not_found");
        await AssertProblemAsync(await (await PosAsync()).RefundAsync(new { refundNumber = Doc(), documentNumber = doc, amount = 10 }),
            HttpStatusCode.NotFound, "wallet.charge_not_found"); // another client's charge
        await AssertProblemAsync(await pos.RefundAsync(new { refundNumber = Doc(), documentNumber = doc, amount = 0 }), HttpStatusCode.BadRequest, "request.validation_failed");
        await AssertProblemAsync(await pos.RefundAsync(new { documentNumber = doc, amount = 10 }), HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal((900L, 0L), await Api.BalanceAsync(member.Id));
        Assert.Equal(2, await Api.EntryCountAsync(member.Id));
    }

    /// <summary>Proportional rounds the gift share to the nearest fen, half to even: 1-fen charges can touch gift.</summary>
    [SkippableTheory]
    [InlineData(100, 900, 1, 0, 1)]     // 0.9 fen of gift → 1
    [InlineData(500, 500, 1, 1, 0)]     // 0.5 → 0 (even)
    [InlineData(500, 500, 3, 1, 2)]     // 1.5 → 2 (even)
    [InlineData(3000, 1000, 1001, 751, 250)] // 250.25 → 250
    public async Task Proportional_splits_round_the_gift_share_half_to_even(long principal, long gift, long amount, long expectedPrincipal, long expectedGift)
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, principal, gift);
        var charge = await (await (await PosAsync()).ChargeAsync(new { documentNumber = Doc(), amount, memberId = member.Id })).JsonAsync();
        Assert.Equal(expectedPrincipal, charge.GetProperty("principal").GetInt64());
        Assert.Equal(expectedGift, charge.GetProperty("gift").GetInt64());
        Assert.Equal((principal - expectedPrincipal, gift - expectedGift), await Api.BalanceAsync(member.Id));
        await Api.AssertWalletConsistentAsync(member.Id);
    }

    [SkippableTheory]
    [InlineData(SplitPolicy.PrincipalFirst, 1000, 200)]
    [InlineData(SplitPolicy.GiftFirst, 700, 500)]
    public async Task Hq_chooses_the_split_policy(SplitPolicy policy, long principal, long gift)
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 1000, 500);
        await Api.SetWalletSettingsAsync(policy);
        try
        {
            var charge = await (await (await PosAsync()).ChargeAsync(new { documentNumber = Doc(), amount = 1200, memberId = member.Id })).JsonAsync();
            Assert.Equal(principal, charge.GetProperty("principal").GetInt64());
            Assert.Equal(gift, charge.GetProperty("gift").GetInt64());
        }
        finally
        {
            await Api.SetWalletSettingsAsync(SplitPolicy.Proportional);
        }
    }
}

public sealed class WalletChargeTestsOnSqlite(SqliteApi fixture) : WalletChargeTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class WalletChargeTestsOnMySql(MySqlApi fixture) : WalletChargeTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
