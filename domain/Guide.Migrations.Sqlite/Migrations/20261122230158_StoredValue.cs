using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Price = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftAmount = table.Column<long>(type: "INTEGER", nullable: true),
                    GiftPercent = table.Column<int>(type: "INTEGER", nullable: true),
                    LevelGranted = table.Column<int>(type: "INTEGER", nullable: true),
                    OnSaleFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    OnSaleUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    PerMemberLimit = table.Column<int>(type: "INTEGER", nullable: true),
                    Archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recharge_packages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sales_documents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    GuideId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DocumentTime = table.Column<long>(type: "INTEGER", nullable: false),
                    OriginalDocumentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TotalPaid = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "wallet_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    SplitPolicy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PasswordFreeLimit = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wallet_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wallet_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: true),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
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
                });

            migrationBuilder.CreateTable(
                name: "wallets",
                columns: table => new
                {
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Principal = table.Column<long>(type: "INTEGER", nullable: false),
                    Gift = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true)
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
                });

            migrationBuilder.CreateTable(
                name: "recharges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OutTradeNo = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PackageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Price = table.Column<long>(type: "INTEGER", nullable: false),
                    Gift = table.Column<long>(type: "INTEGER", nullable: false),
                    LevelGranted = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PrepayId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TransactionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LotId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PaidAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "sales_document_lines",
                columns: table => new
                {
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LineNo = table.Column<int>(type: "INTEGER", nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Product = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    PaidAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    OriginalLineNo = table.Column<int>(type: "INTEGER", nullable: true)
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
                });

            migrationBuilder.CreateTable(
                name: "sales_document_payments",
                columns: table => new
                {
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "wallet_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    PrincipalDelta = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftDelta = table.Column<long>(type: "INTEGER", nullable: false),
                    PrincipalAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "wallet_lots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Principal = table.Column<long>(type: "INTEGER", nullable: false),
                    Gift = table.Column<long>(type: "INTEGER", nullable: false),
                    PrincipalRemaining = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftRemaining = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "recharge_refunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OutRefundNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RechargeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Principal = table.Column<long>(type: "INTEGER", nullable: false),
                    Gift = table.Column<long>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Forced = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AdminId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "wallet_charges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Principal = table.Column<long>(type: "INTEGER", nullable: false),
                    Gift = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundedPrincipal = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundedGift = table.Column<long>(type: "INTEGER", nullable: false),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PrincipalAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    ChargedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "wallet_entry_lines",
                columns: table => new
                {
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LotId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PrincipalDelta = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftDelta = table.Column<long>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "wallet_charge_refunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RefundNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ChargeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Principal = table.Column<long>(type: "INTEGER", nullable: false),
                    Gift = table.Column<long>(type: "INTEGER", nullable: false),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PrincipalAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftAfter = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                });

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
