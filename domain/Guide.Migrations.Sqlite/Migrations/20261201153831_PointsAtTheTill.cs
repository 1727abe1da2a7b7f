using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PointsAtTheTill : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "BoundClientId",
                table: "wallet_tokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BoundDocumentNumber",
                table: "wallet_tokens",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PaidParts",
                table: "wallet_tokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "SpendFrozen",
                table: "points_settings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "SpendMaxSharePercent",
                table: "points_settings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 50);

            migrationBuilder.AddColumn<int>(
                name: "SpendMinPoints",
                table: "points_settings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "SpendPointsPerYuan",
                table: "points_settings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 100);

            migrationBuilder.CreateTable(
                name: "points_deductions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    PointsPerYuan = table.Column<int>(type: "INTEGER", nullable: false),
                    DocumentAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RefundedPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_points_deductions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_points_deductions_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "points_deduction_refunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeductionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RefundNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiredPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_points_deduction_refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_points_deduction_refunds_points_deductions_DeductionId",
                        column: x => x.DeductionId,
                        principalTable: "points_deductions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_points_deduction_refunds_ClientId_RefundNumber",
                table: "points_deduction_refunds",
                columns: new[] { "ClientId", "RefundNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_points_deduction_refunds_DeductionId",
                table: "points_deduction_refunds",
                column: "DeductionId");

            migrationBuilder.CreateIndex(
                name: "IX_points_deductions_ClientId_DocumentNumber",
                table: "points_deductions",
                columns: new[] { "ClientId", "DocumentNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_points_deductions_MemberId",
                table: "points_deductions",
                column: "MemberId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "points_deduction_refunds");

            migrationBuilder.DropTable(
                name: "points_deductions");

            migrationBuilder.DropColumn(
                name: "BoundClientId",
                table: "wallet_tokens");

            migrationBuilder.DropColumn(
                name: "BoundDocumentNumber",
                table: "wallet_tokens");

            migrationBuilder.DropColumn(
                name: "PaidParts",
                table: "wallet_tokens");

            migrationBuilder.DropColumn(
                name: "SpendFrozen",
                table: "points_settings");

            migrationBuilder.DropColumn(
                name: "SpendMaxSharePercent",
                table: "points_settings");

            migrationBuilder.DropColumn(
                name: "SpendMinPoints",
                table: "points_settings");

            migrationBuilder.DropColumn(
                name: "SpendPointsPerYuan",
                table: "points_settings");
        }
    }
}
