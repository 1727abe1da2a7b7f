using System.Net;
using System.Net.Http.Json;
using Guide.Api.Tests.Support;
using Guide.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Documents;

/// <summary>Sales documents from POS and mall: idempotent per source, refunds never beyond what was sold.</summary>
public abstract class SalesDocumentTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private static object Sale(string number, string? storeCode = null, string? guide = null, Guid? memberId = null, string? memberPhone = null) => new
    {
        documentNumber = number,
        kind = "sale",
        storeCode,
        guide,
        memberId,
        memberPhone,
        documentTime = DateTimeOffset.UtcNow.AddMinutes(-5),
        lines = new object[]
        {
            new { lineNo = 1, sku = "SKU-TEE", product = "纯棉T恤", category = "服装", quantity = 3, unitPrice = 9900, paidAmount = 27000 },
            new { lineNo = 2, sku = "SKU-CAP", product = "棒球帽 🧢", category = "配饰", quantity = 1, unitPrice = 5000, paidAmount = 5000 },
        },
        payments = new object[] { new { method = "wechat_pay", amount = 20000 }, new { method = "wallet_principal", amount = 10000 }, new { method = "wallet_gift", amount = 2000 } },
    };

    private static object Refund(string number, string original, int originalLineNo, int quantity, long paid) => new
    {
        documentNumber = number,
        kind = "refund",
        originalDocumentNumber = original,
        documentTime = DateTimeOffset.UtcNow,
        lines = new object[] { new { lineNo = 1, originalLineNo, quantity, paidAmount = paid } },
        payments = new object[] { new { method = "wechat_pay", amount = paid } },
    };

    private Task<HttpResponseMessage> PostAsync(HttpClient pos, object body) => pos.PostAsJsonAsync("/api/integration/documents", body);

    [SkippableFact]
    public async Task Documents_need_a_signature()
    {
        await AssertProblemAsync(await Api.Client().PostAsJsonAsync("/api/integration/documents", new { }), HttpStatusCode.Unauthorized, "integration.missing_signature");
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(member.Token).PostAsJsonAsync("/api/integration/documents", new { }), HttpStatusCode.Unauthorized, "integration.missing_signature");
    }

    [SkippableFact]
    public async Task A_sale_is_recorded_with_its_attribution_and_a_resend_returns_the_first_result()
    {
        var store = await Api.CreateStoreAsync();
        var guide = await Api.CreateGuideAsync(store.Id);
        var member = await Api.LogInMemberAsync();
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var number = ApiFixture.Unique("SO");

        var sale = Sale(number, store.Code, guide.WeComUserId, member.Id);
        var response = await PostAsync(pos, sale);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = await response.JsonAsync();
        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.Equal(32000, first.GetProperty("totalPaid").GetInt64());
        Assert.Equal(store.Id, first.GetProperty("storeId").GetGuid());
        Assert.Equal(guide.Id, first.GetProperty("guideId").GetGuid());
        Assert.Equal(member.Id, first.GetProperty("memberId").GetGuid());
        Assert.Equal("棒球帽 🧢", first.GetProperty("lines")[1].GetProperty("product").GetString());
        Assert.Equal("wallet_gift", first.GetProperty("payments")[2].GetProperty("method").GetString());

        var again = await (await PostAsync(pos, sale)).JsonAsync();
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal(1, await Api.DbAsync(db => db.SalesDocuments.CountAsync(d => d.DocumentNumber == number)));

        // Another source may use the same number: unique per source.
        var other = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        Assert.False((await (await PostAsync(other, Sale(number))).JsonAsync()).GetProperty("replayed").GetBoolean());
    }

    [SkippableFact]
    public async Task The_same_number_with_other_content_is_refused_not_replayed()
    {
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var member = await Api.LogInMemberAsync();
        var number = ApiFixture.Unique("SO");
        var sale = Sale(number, memberId: member.Id);
        (await PostAsync(pos, sale)).EnsureSuccessStatusCode();

        var otherMember = await Api.LogInMemberAsync();
        await AssertProblemAsync(await PostAsync(pos, Sale(number, memberId: otherMember.Id)), HttpStatusCode.Conflict, "document.number_reused");
        var json = System.Text.Json.JsonSerializer.Serialize(sale).Replace("\"paidAmount\":27000", "\"paidAmount\":26000").Replace("\"amount\":20000", "\"amount\":19000");
        var changed = await pos.PostAsync("/api/integration/documents", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await AssertProblemAsync(changed, HttpStatusCode.Conflict, "document.number_reused");

        var documents = await Api.DbAsync(db => db.SalesDocuments.AsNoTracking().Include(d => d.Lines).Where(d => d.DocumentNumber == number).ToListAsync());
        var recorded = Assert.Single(documents);
        Assert.Equal(member.Id, recorded.MemberId);
        Assert.Equal(27000, recorded.Lines.Single(l => l.LineNo == 1).PaidAmount);
        Assert.True((await (await PostAsync(pos, sale)).JsonAsync()).GetProperty("replayed").GetBoolean());
    }

    [SkippableFact]
    public async Task Refunds_are_checked_against_what_was_sold_minus_earlier_refunds()
    {
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var member = await Api.LogInMemberAsync();
        var sale = ApiFixture.Unique("SO");
        (await PostAsync(pos, Sale(sale, memberId: member.Id))).EnsureSuccessStatusCode();

        var r1 = await (await PostAsync(pos, Refund(ApiFixture.Unique("RF"), sale, 1, 2, 18000))).JsonAsync();
        Assert.Equal("refund", r1.GetProperty("kind").GetString());
        Assert.Equal("SKU-TEE", r1.GetProperty("lines")[0].GetProperty("sku").GetString());
        Assert.Equal(member.Id, r1.GetProperty("memberId").GetGuid()); // inherited from the sale
        Assert.Equal(sale, r1.GetProperty("originalDocumentNumber").GetString());

        var beyond = await PostAsync(pos, Refund(ApiFixture.Unique("RF"), sale, 1, 2, 9000));
        var problem = await AssertProblemAsync(beyond, HttpStatusCode.Conflict, "document.refund_exceeds_sale");
        Assert.Equal(1, problem.GetProperty("refundableQuantity").GetInt32());
        await AssertProblemAsync(await PostAsync(pos, Refund(ApiFixture.Unique("RF"), sale, 1, 1, 9001)), HttpStatusCode.Conflict, "document.refund_exceeds_sale");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(pos, Refund(ApiFixture.Unique("RF"), sale, 1, 1, 9000))).StatusCode);
        await AssertProblemAsync(await PostAsync(pos, Refund(ApiFixture.Unique("RF"), sale, 9, 1, 1)), HttpStatusCode.BadRequest, "document.unknown_line");
        // A refund of a sale this client has not recorded waits for it (another client's sale of that number is not it).
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(pos, Refund(ApiFixture.Unique("RF"), ApiFixture.Unique("NO-SUCH-SALE"), 1, 1, 1))).StatusCode);
        var otherPos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var other = await PostAsync(otherPos, Refund(ApiFixture.Unique("RF"), sale, 2, 1, 1));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal("waiting_for_sale", (await other.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(2, await Api.DbAsync(db => db.SalesDocuments.CountAsync(d => d.Kind == DocumentKind.Refund && db.SalesDocuments.Any(o => o.Id == d.OriginalDocumentId && o.DocumentNumber == sale))));
    }

    [SkippableFact]
    public async Task Concurrent_refunds_of_one_line_never_return_more_than_was_sold()
    {
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var sale = ApiFixture.Unique("SO");
        (await PostAsync(pos, Sale(sale))).EnsureSuccessStatusCode();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await PostAsync(pos, Refund($"{sale}-R{i}", sale, 1, 1, 9000));
            return response.StatusCode;
        }));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [SkippableFact]
    public async Task Bad_documents_are_problems_and_write_nothing()
    {
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var number = ApiFixture.Unique("BAD");
        async Task Bad(object body, HttpStatusCode status, string code) => await AssertProblemAsync(await PostAsync(pos, body), status, code);
        var time = DateTimeOffset.UtcNow;
        var line = new { lineNo = 1, sku = "A", product = "P", quantity = 1, unitPrice = 100, paidAmount = 100 };

        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = Array.Empty<object>() }, HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, documentTime = time, lines = new[] { line } }, HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, kind = "swap", documentTime = time, lines = new[] { line } }, HttpStatusCode.BadRequest, "request.malformed");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time.AddDays(3), lines = new[] { line } }, HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line with { quantity = 0 } } }, HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line with { paidAmount = -1 } } }, HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line }, payments = new[] { new { method = "cash", amount = 99 } } },
            HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line, line } }, HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, kind = "refund", documentTime = time, lines = new[] { line } }, HttpStatusCode.BadRequest, "request.validation_failed");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line }, storeCode = "NOPE" }, HttpStatusCode.NotFound, "store.not_found");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line }, guide = "nobody" }, HttpStatusCode.NotFound, "guide.not_found");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line }, memberId = Guid.NewGuid() }, HttpStatusCode.NotFound, "member.not_found");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line }, memberPhone = "13900000000" }, HttpStatusCode.NotFound, "member.not_found");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line }, paymentCode = "900000000000000000" }, HttpStatusCode.NotFound, "wallet.payment_code_invalid");
        await Bad(new { documentNumber = number, kind = "sale", documentTime = time, lines = new[] { line }, memberPhone = "13900000000", memberId = Guid.NewGuid() },
            HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.Equal(0, await Api.DbAsync(db => db.SalesDocuments.CountAsync(d => d.DocumentNumber == number)));
    }

    [SkippableFact]
    public async Task A_payment_code_spent_on_the_wallet_still_names_the_member_of_the_sale()
    {
        var member = await Api.LogInMemberAsync();
        await Api.CreditAsync(member.Id, 50_000);
        var code = (await (await Api.Client(member.Token).GetAsync("/api/mp/wallet/payment-code")).JsonAsync()).GetProperty("code").GetString();
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var number = ApiFixture.Unique("SO");
        (await pos.ChargeAsync(new { documentNumber = number, amount = 12000, paymentCode = code })).EnsureSuccessStatusCode();
        var document = await (await PostAsync(pos, new
        {
            documentNumber = number, kind = "sale", paymentCode = code, documentTime = DateTimeOffset.UtcNow,
            lines = new[] { new { lineNo = 1, sku = "S", product = "P", quantity = 1, unitPrice = 12000, paidAmount = 12000 } },
            payments = new[] { new { method = "wallet_principal", amount = 12000 } },
        })).JsonAsync();
        Assert.Equal(member.Id, document.GetProperty("memberId").GetGuid());
    }

    [SkippableFact]
    public async Task A_refund_before_its_sale_that_does_not_fit_the_sale_is_refused_when_the_sale_arrives_and_the_sale_stands()
    {
        var pos = Api.IntegrationClient(await Api.CreateIntegrationClientAsync());
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        var member = await Api.LogInMemberAsync();
        var sale = ApiFixture.Unique("SO");
        // It returns 4 of line 1, which will sell 3.
        var tooMuch = Refund(ApiFixture.Unique("RF"), sale, 1, 4, 100);
        var number = (string)tooMuch.GetType().GetProperty("documentNumber")!.GetValue(tooMuch)!;
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(pos, tooMuch)).StatusCode);
        var fits = Refund(ApiFixture.Unique("RF"), sale, 2, 1, 5000);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(pos, fits)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(pos, Sale(sale, memberId: member.Id))).StatusCode);
        var documents = await Api.DbAsync(db => db.SalesDocuments.AsNoTracking()
            .Where(d => d.DocumentNumber == sale || d.DocumentNumber == number || d.DocumentNumber == (string)fits.GetType().GetProperty("documentNumber")!.GetValue(fits)!)
            .Select(d => d.Kind).ToListAsync());
        Assert.Equal([DocumentKind.Sale, DocumentKind.Refund], documents.Order());

        var refused = await (await hq.GetAsync("/api/admin/waiting-refunds?status=refused&pageSize=100")).JsonAsync();
        var row = refused.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("documentNumber").GetString() == number);
        Assert.Equal("document.refund_exceeds_sale", row.GetProperty("refusalCode").GetString());
        var postedList = await (await hq.GetAsync("/api/admin/waiting-refunds?status=posted&pageSize=100")).JsonAsync();
        Assert.Contains(postedList.GetProperty("items").EnumerateArray(), i => i.GetProperty("originalDocumentNumber").GetString() == sale
                                                                              && i.GetProperty("documentId").ValueKind == System.Text.Json.JsonValueKind.String);
        // The client's resend of the refused refund hears why, and nothing more is written.
        var problem = await AssertProblemAsync(await PostAsync(pos, tooMuch), HttpStatusCode.Conflict, "document.refund_exceeds_sale");
        Assert.Equal(3, problem.GetProperty("refundableQuantity").GetInt32()); // line 1 sold 3; the refund that posted was of line 2
        Assert.Equal(0, await Api.DbAsync(db => db.SalesDocuments.CountAsync(d => d.DocumentNumber == number)));
    }

    [SkippableFact]
    public async Task The_sweep_posts_a_waiting_refund_whose_sale_was_recorded_without_posting_it()
    {
        // A crash between the sale's commit and its posting of the waiting refunds: the sale is recorded straight through
        // the command (as the endpoint does before it posts them), and the minute's sweep posts the refund once.
        var credentials = await Api.CreateIntegrationClientAsync();
        var pos = Api.IntegrationClient(credentials);
        var sale = ApiFixture.Unique("SO");
        var refund = Refund(ApiFixture.Unique("RF"), sale, 1, 1, 9000);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(pos, refund)).StatusCode);
        await Api.SendAsync(new RecordSalesDocument(credentials.Id, sale, DocumentKind.Sale, null, null, null, null, null, DateTimeOffset.UtcNow.AddMinutes(-5),
            null, [new DocumentLineInput(1, "SKU-TEE", "纯棉T恤", null, 3, 9900, 27000, null)], []));
        var number = (string)refund.GetType().GetProperty("documentNumber")!.GetValue(refund)!;
        Assert.Equal(0, await Api.DbAsync(db => db.SalesDocuments.CountAsync(d => d.DocumentNumber == number)));

        await Api.InScopeAsync(sp => sp.GetRequiredService<WaitingRefundRun>().RunAsync(CancellationToken.None));
        await Api.InScopeAsync(sp => sp.GetRequiredService<WaitingRefundRun>().RunAsync(CancellationToken.None)); // a second run changes nothing
        var posted = await Api.DbAsync(db => db.SalesDocuments.AsNoTracking().Include(d => d.Lines).Where(d => d.DocumentNumber == number).ToListAsync());
        Assert.Equal(9000, Assert.Single(posted).TotalPaid);
        Assert.Equal(WaitingRefundStatus.Posted, await Api.DbAsync(db => db.WaitingRefunds.Where(w => w.DocumentNumber == number).Select(w => w.Status).SingleAsync()));
    }

    [SkippableFact]
    public async Task Only_HQ_lists_waiting_refunds()
    {
        var member = await Api.LogInMemberAsync();
        await AssertProblemAsync(await Api.Client(member.Token).GetAsync("/api/admin/waiting-refunds"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        await AssertProblemAsync(await Api.Client().GetAsync("/api/admin/waiting-refunds"), HttpStatusCode.Unauthorized, "auth.unauthenticated");
        var guide = await Api.LogInGuideAsync(await Api.CreateGuideAsync((await Api.CreateStoreAsync()).Id));
        await AssertProblemAsync(await Api.Client(guide.Token).GetAsync("/api/admin/waiting-refunds"), HttpStatusCode.Unauthorized, "auth.invalid_token");
        var hq = Api.Client((await Api.LogInAdminAsync()).Token);
        await AssertProblemAsync(await hq.GetAsync("/api/admin/waiting-refunds?status=lost"), HttpStatusCode.BadRequest, "request.malformed");
    }
}

public sealed class SalesDocumentTestsOnSqlite(SqliteApi fixture) : SalesDocumentTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class SalesDocumentTestsOnMySql(MySqlApi fixture) : SalesDocumentTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
