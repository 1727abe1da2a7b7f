using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "GuideContactConsent", // members who were there consent until they unsubscribe
                table: "members",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.CreateTable(
                name: "care_plans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OwnerGuideId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TargetKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TargetDays = table.Column<int>(type: "INTEGER", nullable: true),
                    TargetAmount = table.Column<long>(type: "INTEGER", nullable: true),
                    TargetCount = table.Column<int>(type: "INTEGER", nullable: true),
                    level_filter = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    store_filter = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Schedule = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MonthDay = table.Column<int>(type: "INTEGER", nullable: true),
                    IssueTime = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    DeadlineDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Script = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    GiftKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    GiftReference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    GiftPoints = table.Column<long>(type: "INTEGER", nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastIssuedPeriod = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
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
                });

            migrationBuilder.CreateTable(
                name: "guide_handovers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromGuideId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ToGuideId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Members = table.Column<int>(type: "INTEGER", nullable: false),
                    Tasks = table.Column<int>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "care_plan_list_members",
                columns: table => new
                {
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LineNo = table.Column<int>(type: "INTEGER", nullable: false)
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
                });

            migrationBuilder.CreateTable(
                name: "care_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    GuideId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StoreId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UrgedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UrgeCount = table.Column<int>(type: "INTEGER", nullable: false),
                    UrgedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CompletedChannel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
                });

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
