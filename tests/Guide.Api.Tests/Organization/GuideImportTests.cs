using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Guide.Api.Tests.Support;
using Guide.Domain.Organization;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Organization;

public abstract class GuideImportTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private async Task<HttpClient> HqAsync() => Api.Client((await Api.LogInAdminAsync()).Token);

    private static StringContent Csv(string text, bool bom = false) =>
        new((bom ? "\uFEFF" : "") + text, Encoding.UTF8, "text/csv");

    private Task<int> GuideCountAsync(string prefix) => Api.DbAsync(db => db.Guides.CountAsync(g => g.WeComUserId.StartsWith(prefix)));

    [SkippableFact]
    public async Task A_valid_file_creates_guides_and_importing_it_again_changes_nothing()
    {
        var hq = await HqAsync();
        var s1 = await Api.CreateStoreAsync("华东");
        var s2 = await Api.CreateStoreAsync("华南");
        var p = ApiFixture.Unique("imp");
        var csv = $"""
            wecom_user_id,name,store_code,role,managed_areas,mobile,active
            {p}-zhang,张三,{s1.Code},guide,,13800000001,true
            {p}-li,李四,{s1.Code},store_manager,,,true
            {p}-wang,"王五, 区域",{s2.Code},area_manager,华东;华南,13800000003,
            """;
        var first = await hq.PostAsync("/api/admin/guides/import", Csv(csv, bom: true));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = await ReadJsonAsync(first);
        Assert.Equal(3, result.GetProperty("created").GetInt32());

        var again = await ReadJsonAsync(await hq.PostAsync("/api/admin/guides/import", Csv(csv)));
        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(0, again.GetProperty("updated").GetInt32());
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());

        var wang = await Api.DbAsync(db => db.Guides.AsNoTracking().SingleAsync(g => g.WeComUserId == p + "-wang"));
        Assert.Equal("王五, 区域", wang.Name);
        Assert.Equal(GuideRole.AreaManager, wang.Role);
        Assert.Equal(["华东", "华南"], wang.ManagedAreas);
    }

    [SkippableFact]
    public async Task A_changed_row_updates_only_that_guide()
    {
        var hq = await HqAsync();
        var s1 = await Api.CreateStoreAsync();
        var s2 = await Api.CreateStoreAsync();
        var p = ApiFixture.Unique("upd");
        const string header = "wecom_user_id,name,store_code,role\n";
        (await hq.PostAsync("/api/admin/guides/import", Csv(header + $"{p}-a,A,{s1.Code},guide\n{p}-b,B,{s1.Code},guide\n"))).EnsureSuccessStatusCode();
        var moved = await ReadJsonAsync(await hq.PostAsync("/api/admin/guides/import", Csv(header + $"{p}-a,A,{s2.Code},guide\n{p}-b,B,{s1.Code},guide\n")));
        Assert.Equal(1, moved.GetProperty("updated").GetInt32());
        Assert.Equal(1, moved.GetProperty("unchanged").GetInt32());
        var a = await Api.DbAsync(db => db.Guides.AsNoTracking().SingleAsync(g => g.WeComUserId == p + "-a"));
        Assert.Equal(s2.Id, a.StoreId);
    }

    [SkippableFact]
    public async Task Bad_rows_are_reported_by_line_number_and_nothing_of_the_file_is_saved()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync();
        var p = ApiFixture.Unique("bad");
        var csv = $"""
            wecom_user_id,name,store_code,role,managed_areas,mobile,active
            {p}-ok,好人,{store.Code},guide,,,
            {p}-x,,NO-SUCH-STORE,boss,,12345,maybe
            {p}-ok,重复,{store.Code},guide,,,
            {p}-am,区域经理,{store.Code},area_manager,,,
            """;
        var response = await hq.PostAsync("/api/admin/guides/import", Csv(csv));
        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "guides.import_invalid");
        var errors = body.GetProperty("lineErrors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Field: e.GetProperty("field").GetString())).ToList();
        Assert.Contains((3, "name"), errors);
        Assert.Contains((3, "store_code"), errors);
        Assert.Contains((3, "role"), errors);
        Assert.Contains((3, "mobile"), errors);
        Assert.Contains((3, "active"), errors);
        Assert.Contains((4, "wecom_user_id"), errors);
        Assert.Contains((5, "managed_areas"), errors);
        Assert.DoesNotContain(errors, e => e.Line == 2);
        Assert.Equal(0, await GuideCountAsync(p));
    }

    [SkippableFact]
    public async Task A_file_without_the_required_columns_or_with_broken_quoting_is_refused()
    {
        var hq = await HqAsync();
        var noHeader = await hq.PostAsync("/api/admin/guides/import", Csv("name,store\nA,B\n"));
        var body = await AssertProblemAsync(noHeader, HttpStatusCode.BadRequest, "guides.import_invalid");
        Assert.Equal(1, body.GetProperty("lineErrors")[0].GetProperty("line").GetInt32());

        var empty = await hq.PostAsync("/api/admin/guides/import", Csv(""));
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "guides.import_invalid");

        var store = await Api.CreateStoreAsync();
        var p = ApiFixture.Unique("quote");
        var broken = await hq.PostAsync("/api/admin/guides/import",
            Csv($"wecom_user_id,name,store_code,role\n{p}-a,A,{store.Code},guide\n{p}-b,\"unterminated,{store.Code},guide\n"));
        await AssertProblemAsync(broken, HttpStatusCode.BadRequest, "guides.import_invalid");
        Assert.Equal(0, await GuideCountAsync(p));
    }

    [SkippableFact]
    public async Task Export_then_import_changes_nothing_and_multipart_upload_works()
    {
        var hq = await HqAsync();
        var store = await Api.CreateStoreAsync("西北");
        var p = ApiFixture.Unique("exp");
        (await hq.PostAsync("/api/admin/guides/import", Csv($"wecom_user_id,name,store_code,role,managed_areas,mobile,active\n{p}-a,甲,{store.Code},area_manager,西北,13900000000,false\n")))
            .EnsureSuccessStatusCode();

        var export = await hq.GetAsync("/api/admin/guides/export");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("wecom_user_id,name,store_code,role,managed_areas,mobile,active", text);
        Assert.Contains($"{p}-a,甲,{store.Code},area_manager,西北,13900000000,false", text);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "guides.csv");
        var reimport = await ReadJsonAsync(await hq.PostAsync("/api/admin/guides/import", form));
        Assert.Equal(0, reimport.GetProperty("created").GetInt32());
        Assert.Equal(0, reimport.GetProperty("updated").GetInt32());
    }

    [SkippableFact]
    public async Task Malformed_multipart_is_400_and_a_file_over_5_mb_is_413_even_inside_multipart()
    {
        var hq = await HqAsync();
        static ByteArrayContent Raw(string body, string contentType)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return content;
        }
        const string part = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"g.csv\"\r\n\r\nwecom_user_id,name,store_code,role\r\n";
        foreach (var (body, type) in new[]
                 {
                     (part + "--B--\r\n", "multipart/form-data"),                                 // no boundary
                     ("junk that is not multipart at all", "multipart/form-data; boundary=B"),
                     (part, "multipart/form-data; boundary=B"),                                   // never closed
                     ("--B\r\nContent-Type: text/csv\r\n\r\nx\r\n--B--\r\n", "multipart/form-data; boundary=B"), // no Content-Disposition
                     (part.Replace("--B", "--" + new string('b', 200)) + "--" + new string('b', 200) + "--\r\n", "multipart/form-data; boundary=" + new string('b', 200)),
                 })
            await AssertProblemAsync(await hq.PostAsync("/api/admin/guides/import", Raw(body, type)), HttpStatusCode.BadRequest, "request.malformed");

        var big = new MultipartFormDataContent { { new ByteArrayContent(new byte[5 * 1024 * 1024 + 1]), "file", "big.csv" } };
        await AssertProblemAsync(await hq.PostAsync("/api/admin/guides/import", big), HttpStatusCode.RequestEntityTooLarge, "request.too_large");
    }

    [SkippableFact]
    public async Task Stores_are_created_with_unique_codes_and_validated()
    {
        var hq = await HqAsync();
        var code = ApiFixture.Unique("ST").ToUpperInvariant()[..10];
        var created = await hq.PostAsync("/api/admin/stores", System.Net.Http.Json.JsonContent.Create(new { code, name = "静安店", area = "华东" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var again = await hq.PostAsync("/api/admin/stores", System.Net.Http.Json.JsonContent.Create(new { code, name = "x", area = "y" }));
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "store.code_taken");
        var invalid = await hq.PostAsync("/api/admin/stores", System.Net.Http.Json.JsonContent.Create(new { code = "bad code!", name = "", area = "" }));
        var body = await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "request.validation_failed");
        Assert.True(body.GetProperty("errors").TryGetProperty("code", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("name", out _));
        var missing = await hq.PutAsync($"/api/admin/stores/{Guid.NewGuid()}", System.Net.Http.Json.JsonContent.Create(new { name = "n", area = "a", active = true }));
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "store.not_found");
    }
}

public sealed class GuideImportTestsOnSqlite(SqliteApi fixture) : GuideImportTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class GuideImportTestsOnMySql(MySqlApi fixture) : GuideImportTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
