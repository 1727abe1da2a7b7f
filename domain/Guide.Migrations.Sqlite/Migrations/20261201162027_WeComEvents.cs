using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WeComEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wecom_customer_groups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    NeedsReconcile = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastEventAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DismissedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReconciledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_customer_groups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wecom_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 191, nullable: false),
                    Event = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ChangeType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ExternalUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    UpdateDetail = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    JoinScene = table.Column<int>(type: "INTEGER", nullable: true),
                    QuitScene = table.Column<int>(type: "INTEGER", nullable: true),
                    MemChangeCount = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Xml = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wecom_external_contacts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ExternalUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HalfAdded = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeletedBy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_external_contacts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_wecom_customer_groups_ChatId",
                table: "wecom_customer_groups",
                column: "ChatId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wecom_customer_groups_NeedsReconcile",
                table: "wecom_customer_groups",
                column: "NeedsReconcile");

            migrationBuilder.CreateIndex(
                name: "IX_wecom_events_DedupKey",
                table: "wecom_events",
                column: "DedupKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wecom_events_ProcessedAt_CreatedAt",
                table: "wecom_events",
                columns: new[] { "ProcessedAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_wecom_external_contacts_ExternalUserId",
                table: "wecom_external_contacts",
                column: "ExternalUserId");

            migrationBuilder.CreateIndex(
                name: "IX_wecom_external_contacts_UserId_ExternalUserId",
                table: "wecom_external_contacts",
                columns: new[] { "UserId", "ExternalUserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wecom_customer_groups");

            migrationBuilder.DropTable(
                name: "wecom_events");

            migrationBuilder.DropTable(
                name: "wecom_external_contacts");
        }
    }
}
