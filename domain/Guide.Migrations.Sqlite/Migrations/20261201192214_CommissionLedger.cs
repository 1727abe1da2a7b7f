using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CommissionLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commission_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    GuideId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DocumentTime = table.Column<long>(type: "INTEGER", nullable: false),
                    PostingMonth = table.Column<int>(type: "INTEGER", nullable: false),
                    LineNo = table.Column<int>(type: "INTEGER", nullable: true),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Product = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    CommissionableAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    RuleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    RuleValue = table.Column<long>(type: "INTEGER", nullable: true),
                    Commission = table.Column<long>(type: "INTEGER", nullable: false),
                    OriginalEntryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commission_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commission_period_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commission_period_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commission_periods",
                columns: table => new
                {
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Closed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commission_periods", x => x.Month);
                });

            migrationBuilder.CreateTable(
                name: "commission_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ScopeValue = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EffectiveTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commission_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commission_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    IncludeCash = table.Column<bool>(type: "INTEGER", nullable: false),
                    IncludeWalletPrincipal = table.Column<bool>(type: "INTEGER", nullable: false),
                    IncludeWalletGift = table.Column<bool>(type: "INTEGER", nullable: false),
                    IncludePoints = table.Column<bool>(type: "INTEGER", nullable: false),
                    IncludeCoupons = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commission_settings", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "commission_settings",
                columns: new[] { "Id", "IncludeCash", "IncludeCoupons", "IncludePoints", "IncludeWalletGift", "IncludeWalletPrincipal", "UpdatedAt" },
                values: new object[] { 1, true, false, false, true, true, null });

            migrationBuilder.CreateIndex(
                name: "IX_commission_entries_DocumentId",
                table: "commission_entries",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_commission_entries_GuideId_PostingMonth",
                table: "commission_entries",
                columns: new[] { "GuideId", "PostingMonth" });

            migrationBuilder.CreateIndex(
                name: "IX_commission_entries_PostingMonth_DocumentTime_Id",
                table: "commission_entries",
                columns: new[] { "PostingMonth", "DocumentTime", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_commission_entries_PostingMonth_StoreId_GuideId",
                table: "commission_entries",
                columns: new[] { "PostingMonth", "StoreId", "GuideId" });

            migrationBuilder.CreateIndex(
                name: "IX_commission_entries_SourceKey",
                table: "commission_entries",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commission_period_changes_Month",
                table: "commission_period_changes",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_commission_rules_Scope_ScopeValue",
                table: "commission_rules",
                columns: new[] { "Scope", "ScopeValue" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commission_entries");

            migrationBuilder.DropTable(
                name: "commission_period_changes");

            migrationBuilder.DropTable(
                name: "commission_periods");

            migrationBuilder.DropTable(
                name: "commission_rules");

            migrationBuilder.DropTable(
                name: "commission_settings");
        }
    }
}
