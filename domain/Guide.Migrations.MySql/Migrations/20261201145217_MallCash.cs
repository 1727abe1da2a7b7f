using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
{
    /// <inheritdoc />
    public partial class MallCash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Cash",
                table: "mall_redemptions",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "OutTradeNo",
                table: "mall_redemptions",
                type: "varchar(32)",
                maxLength: 32,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PaidAt",
                table: "mall_redemptions",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PaymentExpiresAt",
                table: "mall_redemptions",
                type: "datetime(6)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PrepayId",
                table: "mall_redemptions",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "TransactionId",
                table: "mall_redemptions",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<long>(
                name: "CashPrice",
                table: "mall_items",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_mall_redemptions_OutTradeNo",
                table: "mall_redemptions",
                column: "OutTradeNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mall_redemptions_Status_CreatedAt",
                table: "mall_redemptions",
                columns: new[] { "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_mall_redemptions_OutTradeNo",
                table: "mall_redemptions");

            migrationBuilder.DropIndex(
                name: "IX_mall_redemptions_Status_CreatedAt",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "Cash",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "OutTradeNo",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "PaidAt",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "PaymentExpiresAt",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "PrepayId",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "TransactionId",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "CashPrice",
                table: "mall_items");
        }
    }
}
