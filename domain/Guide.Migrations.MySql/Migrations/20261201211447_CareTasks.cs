using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
{
    /// <inheritdoc />
    public partial class CareTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "DefaultGuideId",
                table: "stores",
                type: "char(36)",
                nullable: true,
                collation: "ascii_general_ci");

            migrationBuilder.AddColumn<bool>(
                name: "GuideContactConsent", // members who were there consent until they unsubscribe
                table: "members",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "care_plans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Name = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Owner = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    OwnerGuideId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    TargetKind = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    TargetDays = table.Column<int>(type: "int", nullable: true),
                    TargetAmount = table.Column<long>(type: "bigint", nullable: true),
                    TargetCount = table.Column<int>(type: "int", nullable: true),
                    level_filter = table.Column<string>(type: "varchar(200)", maxLength: 200, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    store_filter = table.Column<string>(type: "longtext", maxLength: 20000, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Schedule = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    MonthDay = table.Column<int>(type: "int", nullable: true),
                    IssueTime = table.Column<TimeOnly>(type: "time(6)", nullable: false),
                    DeadlineDays = table.Column<int>(type: "int", nullable: false),
                    Script = table.Column<string>(type: "varchar(1000)", maxLength: 1000, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    GiftKind = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    GiftReference = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    GiftPoints = table.Column<long>(type: "bigint", nullable: true),
                    Channel = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Paused = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    LastIssuedPeriod = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_plans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_care_plans_guides_OwnerGuideId",
                        column: x => x.OwnerGuideId,
                        principalTable: "guides",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "guide_handovers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    FromGuideId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    ToGuideId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Members = table.Column<int>(type: "int", nullable: false),
                    Tasks = table.Column<int>(type: "int", nullable: false),
                    Actor = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    At = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_guide_handovers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_guide_handovers_guides_FromGuideId",
                        column: x => x.FromGuideId,
                        principalTable: "guides",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_guide_handovers_guides_ToGuideId",
                        column: x => x.ToGuideId,
                        principalTable: "guides",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "care_plan_list_members",
                columns: table => new
                {
                    PlanId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    LineNo = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_plan_list_members", x => new { x.PlanId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_care_plan_list_members_care_plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "care_plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_care_plan_list_members_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "care_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    PlanId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    MemberId = table.Column<Guid>(type: "char(36)", nullable: false, collation: "ascii_general_ci"),
                    Period = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    GuideId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    StoreId = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    Status = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    UrgedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    UrgeCount = table.Column<int>(type: "int", nullable: false),
                    UrgedBy = table.Column<Guid>(type: "char(36)", nullable: true, collation: "ascii_general_ci"),
                    ClosedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    Outcome = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    CompletedChannel = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Note = table.Column<string>(type: "varchar(500)", maxLength: 500, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_tasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_care_tasks_care_plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "care_plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_care_tasks_guides_GuideId",
                        column: x => x.GuideId,
                        principalTable: "guides",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_care_tasks_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_care_tasks_stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "IX_stores_DefaultGuideId",
                table: "stores",
                column: "DefaultGuideId");

            migrationBuilder.CreateIndex(
                name: "IX_care_plan_list_members_MemberId",
                table: "care_plan_list_members",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_care_plans_OwnerGuideId",
                table: "care_plans",
                column: "OwnerGuideId");

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_GuideId_Status_DueAt",
                table: "care_tasks",
                columns: new[] { "GuideId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_MemberId",
                table: "care_tasks",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_PlanId_MemberId_Period",
                table: "care_tasks",
                columns: new[] { "PlanId", "MemberId", "Period" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_PlanId_Period",
                table: "care_tasks",
                columns: new[] { "PlanId", "Period" });

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_Status_DueAt",
                table: "care_tasks",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_StoreId_Status_DueAt",
                table: "care_tasks",
                columns: new[] { "StoreId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_guide_handovers_FromGuideId",
                table: "guide_handovers",
                column: "FromGuideId");

            migrationBuilder.CreateIndex(
                name: "IX_guide_handovers_ToGuideId",
                table: "guide_handovers",
                column: "ToGuideId");

            migrationBuilder.AddForeignKey(
                name: "FK_stores_guides_DefaultGuideId",
                table: "stores",
                column: "DefaultGuideId",
                principalTable: "guides",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_stores_guides_DefaultGuideId",
                table: "stores");

            migrationBuilder.DropTable(
                name: "care_plan_list_members");

            migrationBuilder.DropTable(
                name: "care_tasks");

            migrationBuilder.DropTable(
                name: "guide_handovers");

            migrationBuilder.DropTable(
                name: "care_plans");

            migrationBuilder.DropIndex(
                name: "IX_stores_DefaultGuideId",
                table: "stores");

            migrationBuilder.DropColumn(
                name: "DefaultGuideId",
                table: "stores");

            migrationBuilder.DropColumn(
                name: "GuideContactConsent",
                table: "members");
        }
    }
}
