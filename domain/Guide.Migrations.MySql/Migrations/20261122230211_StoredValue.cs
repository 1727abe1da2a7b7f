using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
{
    /// <inheritdoc />
    public partial class StoredValue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "recharge_packages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Name = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Price = table.Column<long>(type: "bigint", nullable: false),
                    GiftAmount = table.Column<long>(type: "bigint", nullable: true),
                    GiftPercent = table.Column<int>(type: "int", nullable: true),
                    LevelGranted = table.Column<int>(type: "int", nullable: true),
                    OnSaleFrom = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    OnSaleUntil = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    PerMemberLimit = table.Column<int>(type: "int", nullable: true),
                    Archived = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recharge_packages", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "sales_documents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ClientId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    DocumentNumber = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Kind = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    StoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    GuideId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    DocumentTime = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    OriginalDocumentId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    TotalPaid = table.Column<long>(type: "bigint", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sales_documents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_sales_documents_guides_GuideId",
                        column: x => x.GuideId,
                        principalTable: "guides",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_sales_documents_integration_clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "integration_clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_sales_documents_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_sales_documents_sales_documents_OriginalDocumentId",
                        column: x => x.OriginalDocumentId,
                        principalTable: "sales_documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_sales_documents_stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallet_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    SplitPolicy = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    PasswordFreeLimit = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_settings", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallet_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Purpose = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Hash = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Amount = table.Column<long>(type: "bigint", nullable: true),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_wallet_tokens_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallets",
                columns: table => new
                {
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Principal = table.Column<long>(type: "bigint", nullable: false),
                    Gift = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallets", x => x.MemberId);
                    table.ForeignKey(
                        name: "FK_wallets_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "recharges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    OutTradeNo = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    PackageId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Description = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Price = table.Column<long>(type: "bigint", nullable: false),
                    Gift = table.Column<long>(type: "bigint", nullable: false),
                    LevelGranted = table.Column<int>(type: "int", nullable: true),
                    Status = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    PrepayId = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    TransactionId = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    LotId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    StoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    PaidAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recharges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recharges_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_recharges_recharge_packages_PackageId",
                        column: x => x.PackageId,
                        principalTable: "recharge_packages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "sales_document_lines",
                columns: table => new
                {
                    DocumentId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    LineNo = table.Column<int>(type: "int", nullable: false),
                    Sku = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Product = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Category = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Quantity = table.Column<int>(type: "int", nullable: false),
                    UnitPrice = table.Column<long>(type: "bigint", nullable: false),
                    PaidAmount = table.Column<long>(type: "bigint", nullable: false),
                    OriginalLineNo = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sales_document_lines", x => new { x.DocumentId, x.LineNo });
                    table.ForeignKey(
                        name: "FK_sales_document_lines_sales_documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "sales_documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "sales_document_payments",
                columns: table => new
                {
                    DocumentId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Sequence = table.Column<int>(type: "int", nullable: false),
                    Method = table.Column<string>(type: "varchar(24)", maxLength: 24, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Amount = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sales_document_payments", x => new { x.DocumentId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_sales_document_payments_sales_documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "sales_documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallet_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Kind = table.Column<string>(type: "varchar(24)", maxLength: 24, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    PrincipalDelta = table.Column<long>(type: "bigint", nullable: false),
                    GiftDelta = table.Column<long>(type: "bigint", nullable: false),
                    PrincipalAfter = table.Column<long>(type: "bigint", nullable: false),
                    GiftAfter = table.Column<long>(type: "bigint", nullable: false),
                    SourceKey = table.Column<string>(type: "varchar(160)", maxLength: 160, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Reference = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Note = table.Column<string>(type: "varchar(200)", maxLength: 200, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    StoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    OccurredAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_entries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_wallet_entries_wallets_MemberId",
                        column: x => x.MemberId,
                        principalTable: "wallets",
                        principalColumn: "MemberId",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallet_lots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Source = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    SourceId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    Principal = table.Column<long>(type: "bigint", nullable: false),
                    Gift = table.Column<long>(type: "bigint", nullable: false),
                    PrincipalRemaining = table.Column<long>(type: "bigint", nullable: false),
                    GiftRemaining = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_lots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_wallet_lots_wallets_MemberId",
                        column: x => x.MemberId,
                        principalTable: "wallets",
                        principalColumn: "MemberId",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "recharge_refunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    OutRefundNo = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    RechargeId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Principal = table.Column<long>(type: "bigint", nullable: false),
                    Gift = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Status = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Forced = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    Reason = table.Column<string>(type: "varchar(200)", maxLength: 200, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    AdminId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recharge_refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_recharge_refunds_recharges_RechargeId",
                        column: x => x.RechargeId,
                        principalTable: "recharges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallet_charges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ClientId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    DocumentNumber = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    StoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Principal = table.Column<long>(type: "bigint", nullable: false),
                    Gift = table.Column<long>(type: "bigint", nullable: false),
                    RefundedPrincipal = table.Column<long>(type: "bigint", nullable: false),
                    RefundedGift = table.Column<long>(type: "bigint", nullable: false),
                    EntryId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    PrincipalAfter = table.Column<long>(type: "bigint", nullable: false),
                    GiftAfter = table.Column<long>(type: "bigint", nullable: false),
                    ChargedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_charges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_wallet_charges_integration_clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "integration_clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_wallet_charges_wallet_entries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "wallet_entries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_wallet_charges_wallets_MemberId",
                        column: x => x.MemberId,
                        principalTable: "wallets",
                        principalColumn: "MemberId",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallet_entry_lines",
                columns: table => new
                {
                    EntryId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    LotId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    PrincipalDelta = table.Column<long>(type: "bigint", nullable: false),
                    GiftDelta = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_entry_lines", x => new { x.EntryId, x.LotId });
                    table.ForeignKey(
                        name: "FK_wallet_entry_lines_wallet_entries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "wallet_entries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_wallet_entry_lines_wallet_lots_LotId",
                        column: x => x.LotId,
                        principalTable: "wallet_lots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wallet_charge_refunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ClientId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    RefundNumber = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ChargeId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Principal = table.Column<long>(type: "bigint", nullable: false),
                    Gift = table.Column<long>(type: "bigint", nullable: false),
                    EntryId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    PrincipalAfter = table.Column<long>(type: "bigint", nullable: false),
                    GiftAfter = table.Column<long>(type: "bigint", nullable: false),
                    RefundedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_charge_refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_wallet_charge_refunds_integration_clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "integration_clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_wallet_charge_refunds_wallet_charges_ChargeId",
                        column: x => x.ChargeId,
                        principalTable: "wallet_charges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_wallet_charge_refunds_wallet_entries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "wallet_entries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "IX_recharge_refunds_OutRefundNo",
                table: "recharge_refunds",
                column: "OutRefundNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recharge_refunds_RechargeId_Status",
                table: "recharge_refunds",
                columns: new[] { "RechargeId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_recharge_refunds_Status_CreatedAt",
                table: "recharge_refunds",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_recharges_MemberId_PackageId",
                table: "recharges",
                columns: new[] { "MemberId", "PackageId" });

            migrationBuilder.CreateIndex(
                name: "IX_recharges_OutTradeNo",
                table: "recharges",
                column: "OutTradeNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recharges_PackageId",
                table: "recharges",
                column: "PackageId");

            migrationBuilder.CreateIndex(
                name: "IX_recharges_PaidAt",
                table: "recharges",
                column: "PaidAt");

            migrationBuilder.CreateIndex(
                name: "IX_recharges_Status_CreatedAt",
                table: "recharges",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_sales_document_lines_Sku",
                table: "sales_document_lines",
                column: "Sku");

            migrationBuilder.CreateIndex(
                name: "IX_sales_documents_ClientId_DocumentNumber",
                table: "sales_documents",
                columns: new[] { "ClientId", "DocumentNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sales_documents_DocumentTime",
                table: "sales_documents",
                column: "DocumentTime");

            migrationBuilder.CreateIndex(
                name: "IX_sales_documents_GuideId",
                table: "sales_documents",
                column: "GuideId");

            migrationBuilder.CreateIndex(
                name: "IX_sales_documents_MemberId",
                table: "sales_documents",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_sales_documents_OriginalDocumentId",
                table: "sales_documents",
                column: "OriginalDocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_sales_documents_StoreId",
                table: "sales_documents",
                column: "StoreId");

            migrationBuilder.CreateIndex(
                name: "IX_wallet_charge_refunds_ChargeId",
                table: "wallet_charge_refunds",
                column: "ChargeId");

            migrationBuilder.CreateIndex(
                name: "IX_wallet_charge_refunds_ClientId_RefundNumber",
                table: "wallet_charge_refunds",
                columns: new[] { "ClientId", "RefundNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wallet_charge_refunds_EntryId",
                table: "wallet_charge_refunds",
                column: "EntryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wallet_charges_ClientId_DocumentNumber",
                table: "wallet_charges",
                columns: new[] { "ClientId", "DocumentNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wallet_charges_EntryId",
                table: "wallet_charges",
                column: "EntryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wallet_charges_MemberId",
                table: "wallet_charges",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_wallet_entries_MemberId_OccurredAt",
                table: "wallet_entries",
                columns: new[] { "MemberId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_wallet_entries_OccurredAt_Kind",
                table: "wallet_entries",
                columns: new[] { "OccurredAt", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_wallet_entries_SourceKey",
                table: "wallet_entries",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wallet_entry_lines_LotId",
                table: "wallet_entry_lines",
                column: "LotId");

            migrationBuilder.CreateIndex(
                name: "IX_wallet_lots_MemberId_CreatedAt",
                table: "wallet_lots",
                columns: new[] { "MemberId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_wallet_lots_SourceId",
                table: "wallet_lots",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_wallet_tokens_ExpiresAt",
                table: "wallet_tokens",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_wallet_tokens_Hash",
                table: "wallet_tokens",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wallet_tokens_MemberId",
                table: "wallet_tokens",
                column: "MemberId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "recharge_refunds");

            migrationBuilder.DropTable(
                name: "sales_document_lines");

            migrationBuilder.DropTable(
                name: "sales_document_payments");

            migrationBuilder.DropTable(
                name: "wallet_charge_refunds");

            migrationBuilder.DropTable(
                name: "wallet_entry_lines");

            migrationBuilder.DropTable(
                name: "wallet_settings");

            migrationBuilder.DropTable(
                name: "wallet_tokens");

            migrationBuilder.DropTable(
                name: "recharges");

            migrationBuilder.DropTable(
                name: "sales_documents");

            migrationBuilder.DropTable(
                name: "wallet_charges");

            migrationBuilder.DropTable(
                name: "wallet_lots");

            migrationBuilder.DropTable(
                name: "recharge_packages");

            migrationBuilder.DropTable(
                name: "wallet_entries");

            migrationBuilder.DropTable(
                name: "wallets");
        }
    }
}
