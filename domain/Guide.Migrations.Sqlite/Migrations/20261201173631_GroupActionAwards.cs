using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class GroupActionAwards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ChangeCount",
                table: "wecom_customer_groups",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "group_action_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    LiveKind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidityDays = table.Column<int>(type: "INTEGER", nullable: true),
                    DailyCap = table.Column<int>(type: "INTEGER", nullable: true),
                    LifetimeCap = table.Column<int>(type: "INTEGER", nullable: true),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    TakeBackWithinDays = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_group_action_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "group_actions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    ExternalUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    GuideUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BrandDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    UnionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    RuleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RulePaused = table.Column<bool>(type: "INTEGER", nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidityDays = table.Column<int>(type: "INTEGER", nullable: true),
                    DailyCap = table.Column<int>(type: "INTEGER", nullable: true),
                    LifetimeCap = table.Column<int>(type: "INTEGER", nullable: true),
                    TakeBackWithinDays = table.Column<int>(type: "INTEGER", nullable: true),
                    PointsEntryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AwardedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TakeBackEntryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UndoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_group_actions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wecom_customers",
                columns: table => new
                {
                    ExternalUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    UnionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FetchedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_customers", x => x.ExternalUserId);
                });

            migrationBuilder.CreateTable(
                name: "wecom_group_members",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    UnionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    JoinedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    JoinScene = table.Column<int>(type: "INTEGER", nullable: false),
                    LeftAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_group_members", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_group_action_rules_LiveKind",
                table: "group_action_rules",
                column: "LiveKind",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_group_actions_ExternalUserId",
                table: "group_actions",
                column: "ExternalUserId");

            migrationBuilder.CreateIndex(
                name: "IX_group_actions_Kind_ExternalUserId_Target",
                table: "group_actions",
                columns: new[] { "Kind", "ExternalUserId", "Target" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_group_actions_MemberId_Kind_BrandDay",
                table: "group_actions",
                columns: new[] { "MemberId", "Kind", "BrandDay" });

            migrationBuilder.CreateIndex(
                name: "IX_group_actions_Status_UnionId",
                table: "group_actions",
                columns: new[] { "Status", "UnionId" });

            migrationBuilder.CreateIndex(
                name: "IX_wecom_customers_UnionId",
                table: "wecom_customers",
                column: "UnionId");

            migrationBuilder.CreateIndex(
                name: "IX_wecom_group_members_ChatId_UserId",
                table: "wecom_group_members",
                columns: new[] { "ChatId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wecom_group_members_UserId",
                table: "wecom_group_members",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "group_action_rules");

            migrationBuilder.DropTable(
                name: "group_actions");

            migrationBuilder.DropTable(
                name: "wecom_customers");

            migrationBuilder.DropTable(
                name: "wecom_group_members");

            migrationBuilder.DropColumn(
                name: "ChangeCount",
                table: "wecom_customer_groups");
        }
    }
}
