using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Campaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TemplateId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DataJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    ScheduledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Levels = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    StoreIds = table.Column<string>(type: "TEXT", nullable: false),
                    GuideIds = table.Column<string>(type: "TEXT", nullable: false),
                    BirthdayMonth = table.Column<int>(type: "INTEGER", nullable: true),
                    PurchasedWithinDays = table.Column<int>(type: "INTEGER", nullable: true),
                    NotPurchasedWithinDays = table.Column<int>(type: "INTEGER", nullable: true),
                    PointsMin = table.Column<long>(type: "INTEGER", nullable: true),
                    PointsMax = table.Column<long>(type: "INTEGER", nullable: true),
                    ImportedList = table.Column<bool>(type: "INTEGER", nullable: false),
                    ImportedMembers = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AudienceCount = table.Column<int>(type: "INTEGER", nullable: true),
                    QueuedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LastMemberId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProgressAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SendStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaigns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_campaigns_message_templates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "message_templates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "campaign_members",
                columns: table => new
                {
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Line = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaign_members", x => new { x.CampaignId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_campaign_members_campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_campaign_members_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_campaign_members_MemberId",
                table: "campaign_members",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_campaigns_CreatedAt",
                table: "campaigns",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_campaigns_Status_ProgressAt",
                table: "campaigns",
                columns: new[] { "Status", "ProgressAt" });

            migrationBuilder.CreateIndex(
                name: "IX_campaigns_TemplateId",
                table: "campaigns",
                column: "TemplateId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaign_members");

            migrationBuilder.DropTable(
                name: "campaigns");
        }
    }
}
