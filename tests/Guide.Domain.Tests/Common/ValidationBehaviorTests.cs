using FluentValidation;
using Guide.Domain.Common;

namespace Guide.Domain.Tests.Common;

public class ValidationBehaviorTests
{
    public sealed record Address(string PostCode);
    public sealed record Register(string UserName, Address HomeAddress);

    private sealed class UserNameRequired : AbstractValidator<Register>
    {
        public UserNameRequired() => RuleFor(x => x.UserName).NotEmpty();
    }

    private sealed class PostCodeHasSixDigits : AbstractValidator<Register>
    {
        public PostCodeHasSixDigits() => RuleFor(x => x.HomeAddress.PostCode).Matches("^[0-9]{6}$").WithErrorCode("post_code");
    }

    private static async Task<(string Result, bool NextCalled)> Run(Register request, params IValidator<Register>[] validators)
    {
        var behavior = new ValidationBehavior<Register, string>(validators);
        var nextCalled = false;
        var result = await behavior.Handle(request, CancellationToken.None, () =>
        {
            nextCalled = true;
            return Task.FromResult("handled");
        });
        return (result, nextCalled);
    }

    [Fact]
    public async Task A_request_without_validators_goes_to_the_handler()
    {
        var (result, nextCalled) = await Run(new Register("", new Address("x")));

        Assert.True(nextCalled);
        Assert.Equal("handled", result);
    }

    [Fact]
    public async Task A_valid_request_goes_to_the_handler()
    {
        var (result, nextCalled) = await Run(new Register("ann", new Address("200000")), new UserNameRequired(), new PostCodeHasSixDigits());

        Assert.True(nextCalled);
        Assert.Equal("handled", result);
    }

    [Fact]
    public async Task An_invalid_request_never_reaches_the_handler()
    {
        var nextCalled = false;
        var behavior = new ValidationBehavior<Register, string>([new UserNameRequired()]);

        await Assert.ThrowsAsync<RequestValidationException>(() => behavior.Handle(new Register("", new Address("200000")), CancellationToken.None, () =>
        {
            nextCalled = true;
            return Task.FromResult("handled");
        }));
        Assert.False(nextCalled);
    }

    [Fact]
    public async Task Failures_of_all_validators_are_reported_together_with_camel_case_field_paths()
    {
        var e = await Assert.ThrowsAsync<RequestValidationException>(() =>
            Run(new Register("", new Address("12")), new UserNameRequired(), new PostCodeHasSixDigits()));

        Assert.Equal(["userName", "homeAddress.postCode"], e.Errors.Select(f => f.Field));
        Assert.All(e.Errors, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
        Assert.Equal("post_code", e.Errors[1].Code);
        Assert.Contains("userName", e.Message);
    }
}
