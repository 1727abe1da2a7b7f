using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MallPickupReady : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ReadyAt",
                table: "mall_redemptions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReadyAtStoreId",
                table: "mall_redemptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReadyByGuideId",
                table: "mall_redemptions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReadyAt",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "ReadyAtStoreId",
                table: "mall_redemptions");

            migrationBuilder.DropColumn(
                name: "ReadyByGuideId",
                table: "mall_redemptions");
        }
    }
}
