using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DrainClaimIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_outbound_messages_Status_NotBefore_Priority",
                table: "outbound_messages");

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_LeaseOwner",
                table: "outbound_messages",
                column: "LeaseOwner");

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_Status_Priority_NotBefore_Id",
                table: "outbound_messages",
                columns: new[] { "Status", "Priority", "NotBefore", "Id" },
                descending: new[] { false, true, false, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_outbound_messages_LeaseOwner",
                table: "outbound_messages");

            migrationBuilder.DropIndex(
                name: "IX_outbound_messages_Status_Priority_NotBefore_Id",
                table: "outbound_messages");

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_Status_NotBefore_Priority",
                table: "outbound_messages",
                columns: new[] { "Status", "NotBefore", "Priority" });
        }
    }
}
