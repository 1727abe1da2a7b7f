using Guide.Domain.Identity;

namespace Guide.Domain.Tests.Identity;

public class HqAdminTests
{
    private const string Password = "correct-password-1";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static HqAdmin NewAdmin() => new("hq.admin", "HQ Admin", Password, T0);

    private static void FailTimes(HqAdmin admin, int times, DateTimeOffset at)
    {
        for (var i = 0; i < times; i++) Assert.False(admin.TryLogIn("wrong-password", at));
    }

    [Fact]
    public void A_new_admin_stores_a_hash_not_the_password()
    {
        var admin = NewAdmin();

        Assert.NotEqual(Password, admin.PasswordHash);
        Assert.True(AdminPassword.Verify(Password, admin.PasswordHash));
        Assert.Equal(0, admin.FailedAttempts);
        Assert.Null(admin.LockedUntil);
        Assert.Null(admin.LastLoginAt);
        Assert.Equal(T0, admin.CreatedAt);
        Assert.NotEqual(Guid.Empty, admin.Id);
    }

    [Fact]
    public void The_right_password_logs_in_and_records_the_time()
    {
        var admin = NewAdmin();
        var at = T0.AddHours(1);

        Assert.True(admin.TryLogIn(Password, at));
        Assert.Equal(at, admin.LastLoginAt);
        Assert.False(admin.IsLockedAt(at));
    }

    [Fact]
    public void A_wrong_password_fails_and_is_counted()
    {
        var admin = NewAdmin();

        Assert.False(admin.TryLogIn("wrong-password", T0));

        Assert.Equal(1, admin.FailedAttempts);
        Assert.Null(admin.LastLoginAt);
    }

    [Fact]
    public void Four_failures_do_not_lock_the_account()
    {
        var admin = NewAdmin();

        FailTimes(admin, HqAdmin.MaxFailedAttempts - 1, T0);

        Assert.Equal(4, admin.FailedAttempts);
        Assert.Null(admin.LockedUntil);
        Assert.False(admin.IsLockedAt(T0));
    }

    [Fact]
    public void The_fifth_failure_locks_the_account_for_fifteen_minutes()
    {
        var admin = NewAdmin();

        FailTimes(admin, 5, T0);

        Assert.Equal(5, HqAdmin.MaxFailedAttempts);
        Assert.Equal(TimeSpan.FromMinutes(15), HqAdmin.LockoutDuration);
        Assert.Equal(T0.AddMinutes(15), admin.LockedUntil);
        Assert.True(admin.IsLockedAt(T0));
        Assert.True(admin.IsLockedAt(T0.AddMinutes(15).AddTicks(-1)));
    }

    [Fact]
    public void The_lock_expires_after_fifteen_minutes()
    {
        var admin = NewAdmin();
        FailTimes(admin, 5, T0);

        Assert.False(admin.IsLockedAt(T0.AddMinutes(15)));
        Assert.False(admin.IsLockedAt(T0.AddHours(2)));
        Assert.True(admin.TryLogIn(Password, T0.AddMinutes(15)));
        Assert.Null(admin.LockedUntil);
    }

    [Fact]
    public void The_lock_counts_from_the_fifth_failure_not_the_first()
    {
        var admin = NewAdmin();
        FailTimes(admin, 4, T0);

        FailTimes(admin, 1, T0.AddMinutes(10));

        Assert.Equal(T0.AddMinutes(25), admin.LockedUntil);
    }

    [Fact]
    public void After_a_lock_expires_a_single_failure_does_not_lock_again()
    {
        var admin = NewAdmin();
        FailTimes(admin, 5, T0);
        var later = T0.AddMinutes(20);

        FailTimes(admin, 1, later);

        Assert.False(admin.IsLockedAt(later));
        Assert.Equal(1, admin.FailedAttempts);
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var admin = NewAdmin();
        FailTimes(admin, 4, T0);

        Assert.True(admin.TryLogIn(Password, T0.AddMinutes(1)));
        Assert.Equal(0, admin.FailedAttempts);

        // Four more failures after the success still do not lock: the earlier ones were forgotten.
        FailTimes(admin, 4, T0.AddMinutes(2));
        Assert.False(admin.IsLockedAt(T0.AddMinutes(2)));
    }

    [Fact]
    public void ChangePassword_replaces_the_old_password()
    {
        var admin = NewAdmin();

        admin.ChangePassword("brand-new-password");

        Assert.False(admin.TryLogIn(Password, T0));
        Assert.True(admin.TryLogIn("brand-new-password", T0));
    }
}
