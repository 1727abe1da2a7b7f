using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
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
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "group_action_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Kind = table.Column<string>(type: "varchar(24)", maxLength: 24, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    LiveKind = table.Column<string>(type: "varchar(24)", maxLength: 24, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Name = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    ValidityDays = table.Column<int>(type: "int", nullable: true),
                    DailyCap = table.Column<int>(type: "int", nullable: true),
                    LifetimeCap = table.Column<int>(type: "int", nullable: true),
                    Paused = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    TakeBackWithinDays = table.Column<int>(type: "int", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_group_action_rules", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "group_actions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Kind = table.Column<string>(type: "varchar(24)", maxLength: 24, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ExternalUserId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Target = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    GuideUserId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    OccurredAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    BrandDay = table.Column<DateOnly>(type: "date", nullable: false),
                    State = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    UnionId = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    Status = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Outcome = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    RuleId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    RulePaused = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    ValidityDays = table.Column<int>(type: "int", nullable: true),
                    DailyCap = table.Column<int>(type: "int", nullable: true),
                    LifetimeCap = table.Column<int>(type: "int", nullable: true),
                    TakeBackWithinDays = table.Column<int>(type: "int", nullable: true),
                    PointsEntryId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    AwardedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    TakeBackEntryId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    UndoneAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_group_actions", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wecom_customers",
                columns: table => new
                {
                    ExternalUserId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    UnionId = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Name = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    FetchedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_customers", x => x.ExternalUserId);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wecom_group_members",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ChatId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    UserId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Type = table.Column<int>(type: "int", nullable: false),
                    UnionId = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    JoinedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    JoinScene = table.Column<int>(type: "int", nullable: false),
                    LeftAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_group_members", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

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
