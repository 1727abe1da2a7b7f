using Guide.MiniProgram.Contracts;

namespace Guide.Api.OpenApi;

/// <summary>
/// The examples of the main flows in the OpenAPI document (and so in Swagger UI): one made-up shopper, her
/// wallet of 100.00 yuan principal and 10.00 gift, a 12.50 payment at the till and a part refund.
/// </summary>
public static class Examples
{
    private static readonly Guid Member = Guid.Parse("0b9c7c1e-5d2a-4c39-9a51-3f4e2a6d8b10");
    private static readonly Guid Package = Guid.Parse("6a1f3e2d-8c4b-4f7a-9e10-2b3c4d5e6f70");
    private static readonly Guid Recharge = Guid.Parse("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
    private static readonly Guid Charge = Guid.Parse("3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98");
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 30, 0, TimeSpan.FromHours(8));

    public static readonly SessionRequest SessionRequest = new("0a3Xyz1w3bQ9LL2tLm3w3JkKxH2Xyz1m");
    public static readonly SessionResponse SessionResponse = new("eyJhbGciOiJIUzI1NiIs...", "Bearer", 7200, Member, FirstLogIn: true);
    public static readonly BindPhoneRequest BindPhoneRequest = new("e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144");
    public static readonly MeResponse Me = new(Member, "小林", "13800138000", Gender.Female, new DateOnly(1994, 5, 20), 1, HasExclusiveGuide: true, Now.AddDays(-30));
    public static readonly WalletResponse Wallet = new(10000, 1000, 11000);
    public static readonly PaymentCodeResponse PaymentCode = new("286405137718204563", Now.AddSeconds(60), 60);
    public static readonly WalletConfirmationRequest ConfirmationRequest = new(58000);
    public static readonly WalletConfirmationResponse Confirmation = new("C7Q2M9X4", 58000, Now.AddMinutes(5), 300);
    public static readonly CreateRechargeRequest RechargeRequest = new(Package);

    public static readonly RechargeResponse PendingRecharge = new(Recharge, "R20261201103000A1B2C3", 10000, 1000, null, RechargeStatus.Pending, Now, null);

    public static readonly CreateRechargeResponse StartedRecharge = new(PendingRecharge,
        new RequestPaymentResponse("wx8888888888888888", "1764556200", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            "prepay_id=wx201410272009395522657a690389285100", "RSA", "oR9d8PuhnIc+YZ8cBHFCwfgpaK9gd7vaRvkYD7rthRAZ..."));

    public static readonly RechargeResponse PaidRecharge = PendingRecharge with { Status = RechargeStatus.Paid, PaidAt = Now.AddSeconds(8) };

    public static readonly WalletChargeRequest ChargeRequest = new("POS-SH001-20261201-0042", 1250, PaymentCode: "286405137718204563", StoreCode: "SH001");

    public static readonly WalletChargeResponse ChargeResponse = new(Charge, "POS-SH001-20261201-0042", Member, 1250, 1136, 114,
        new WalletBalanceView(8864, 886), Replayed: false);

    public static readonly WalletRefundRequest RefundRequest = new("POS-SH001-20261201-0042-R1", "POS-SH001-20261201-0042", 500);

    public static readonly WalletRefundResponse RefundResponse = new(Guid.Parse("7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918"), "POS-SH001-20261201-0042-R1",
        Charge, "POS-SH001-20261201-0042", Member, 500, 454, 46, new WalletBalanceView(9318, 932), Replayed: false);
}
