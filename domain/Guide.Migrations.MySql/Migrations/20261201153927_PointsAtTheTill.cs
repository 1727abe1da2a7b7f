using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
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
                type: "char(36)",
                nullable: true,
                collation: "ascii_general_ci");

            migrationBuilder.AddColumn<string>(
                name: "BoundDocumentNumber",
                table: "wallet_tokens",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<int>(
                name: "PaidParts",
                table: "wallet_tokens",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "SpendFrozen",
                table: "points_settings",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "SpendMaxSharePercent",
                table: "points_settings",
                type: "int",
                nullable: false,
                defaultValue: 50);

            migrationBuilder.AddColumn<int>(
                name: "SpendMinPoints",
                table: "points_settings",
                type: "int",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "SpendPointsPerYuan",
                table: "points_settings",
                type: "int",
                nullable: false,
                defaultValue: 100);

            migrationBuilder.CreateTable(
                name: "points_deductions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ClientId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    DocumentNumber = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    PointsPerYuan = table.Column<int>(type: "int", nullable: false),
                    DocumentAmount = table.Column<long>(type: "bigint", nullable: false),
                    StoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    EntryId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    RefundedPoints = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
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
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "points_deduction_refunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    DeductionId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ClientId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    RefundNumber = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    ExpiredPoints = table.Column<long>(type: "bigint", nullable: false),
                    EntryId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
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
                })
                .Annotation("MySql:CharSet", "utf8mb4");

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
