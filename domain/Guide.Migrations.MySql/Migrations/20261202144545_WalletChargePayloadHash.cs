using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
{
    /// <inheritdoc />
    public partial class WalletChargePayloadHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PayloadHash",
                table: "wallet_charges",
                type: "varchar(64)",
                maxLength: 64,
                nullable: true)
                .Annotation("MySql:CharSet", "utf8mb4");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PayloadHash",
                table: "wallet_charges");
        }
    }
}
