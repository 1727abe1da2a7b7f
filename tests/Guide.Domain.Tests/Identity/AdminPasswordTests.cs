using Guide.Domain.Identity;

namespace Guide.Domain.Tests.Identity;

public class AdminPasswordTests
{
    [Fact]
    public void A_hash_verifies_its_own_password()
    {
        var stored = AdminPassword.Hash("correct horse battery staple");

        Assert.True(AdminPassword.Verify("correct horse battery staple", stored));
    }

    [Theory]
    [InlineData("correct horse battery stapl")]
    [InlineData("Correct horse battery staple")]
    [InlineData("correct horse battery staple ")]
    [InlineData("")]
    public void A_wrong_password_does_not_verify(string attempt)
    {
        var stored = AdminPassword.Hash("correct horse battery staple");

        Assert.False(AdminPassword.Verify(attempt, stored));
    }

    [Fact]
    public void Two_hashes_of_one_password_differ_because_each_has_its_own_salt()
    {
        var first = AdminPassword.Hash("s3cret-pass");
        var second = AdminPassword.Hash("s3cret-pass");

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('$')[2], second.Split('$')[2]);
        Assert.True(AdminPassword.Verify("s3cret-pass", first));
        Assert.True(AdminPassword.Verify("s3cret-pass", second));
    }

    [Fact]
    public void The_stored_form_is_pbkdf2_sha256_iterations_salt_hash_and_does_not_contain_the_password()
    {
        var stored = AdminPassword.Hash("s3cret-pass");

        var parts = stored.Split('$');
        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.True(int.Parse(parts[1]) >= 100_000);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.DoesNotContain("s3cret-pass", stored);
        Assert.True(stored.Length <= 200); // the column's maximum length
    }

    [Fact]
    public void Verify_honours_the_iteration_count_in_the_stored_hash()
    {
        // A hash made with fewer iterations (an older policy) still verifies: the count is read back.
        var current = AdminPassword.Hash("s3cret-pass").Split('$');
        var salt = Convert.FromBase64String(current[2]);
        var hash = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            "s3cret-pass", salt, 1_000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var stored = $"pbkdf2-sha256$1000${current[2]}${Convert.ToBase64String(hash)}";

        Assert.True(AdminPassword.Verify("s3cret-pass", stored));
        Assert.False(AdminPassword.Verify("other-pass", stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s3cret-pass")]
    [InlineData("pbkdf2-sha256")]
    [InlineData("pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=$extra")]
    [InlineData("pbkdf2-sha1$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$many$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    // Rows below currently throw instead of returning false (see the report to the lead):
    [InlineData("pbkdf2-sha256$100000$not base64!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$not base64!")]
    [InlineData("pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$-1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Verify_returns_false_without_throwing_for_a_malformed_stored_hash(string stored)
    {
        var verified = true;
        var thrown = Record.Exception(() => verified = AdminPassword.Verify("s3cret-pass", stored));

        Assert.Null(thrown);
        Assert.False(verified);
    }

    [Fact]
    public void Verify_rejects_every_password_when_the_stored_hash_part_is_empty()
    {
        // A truncated stored hash must fail closed: comparing zero derived bytes with zero stored bytes
        // must not count as a match.
        var salt = AdminPassword.Hash("anything").Split('$')[2];
        var stored = $"pbkdf2-sha256$100000${salt}$";

        var verified = true;
        var thrown = Record.Exception(() => verified = AdminPassword.Verify("any password at all", stored));

        Assert.Null(thrown);
        Assert.False(verified);
    }
}
