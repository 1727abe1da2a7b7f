using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LedgerKernel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Amount",
                table: "recharge_refunds",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "MayChargeByMemberId",
                table: "integration_clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "integration_clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SecretVersion",
                table: "integration_clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "integration_clients",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ledger_requests",
                columns: table => new
                {
                    RequestKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PayloadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Result = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_requests", x => x.RequestKey);
                });

            // Refunds recorded before this migration paid back the principal they took.
            migrationBuilder.Sql("UPDATE recharge_refunds SET Amount = Principal");

            migrationBuilder.CreateIndex(
                name: "IX_ledger_requests_CreatedAt",
                table: "ledger_requests",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ledger_requests");

            migrationBuilder.DropColumn(
                name: "Amount",
                table: "recharge_refunds");

            migrationBuilder.DropColumn(
                name: "MayChargeByMemberId",
                table: "integration_clients");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "integration_clients");

            migrationBuilder.DropColumn(
                name: "SecretVersion",
                table: "integration_clients");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "integration_clients");
        }
    }
}
