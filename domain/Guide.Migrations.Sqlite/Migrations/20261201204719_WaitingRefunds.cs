using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WaitingRefunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "waiting_refunds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DocumentNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OriginalDocumentNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Request = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RefusalCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RefusalMessage = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_waiting_refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_waiting_refunds_integration_clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "integration_clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_waiting_refunds_sales_documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "sales_documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_waiting_refunds_ClientId_DocumentNumber",
                table: "waiting_refunds",
                columns: new[] { "ClientId", "DocumentNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_waiting_refunds_ClientId_OriginalDocumentNumber_Status",
                table: "waiting_refunds",
                columns: new[] { "ClientId", "OriginalDocumentNumber", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_waiting_refunds_DocumentId",
                table: "waiting_refunds",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_waiting_refunds_Status_ReceivedAt",
                table: "waiting_refunds",
                columns: new[] { "Status", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "waiting_refunds");
        }
    }
}
