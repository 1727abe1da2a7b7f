using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CareTaskListOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_care_tasks_GuideId_Status_DueAt",
                table: "care_tasks");

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_GuideId_Status_UrgedAt_DueAt_Id",
                table: "care_tasks",
                columns: new[] { "GuideId", "Status", "UrgedAt", "DueAt", "Id" },
                descending: new[] { false, false, true, false, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_care_tasks_GuideId_Status_UrgedAt_DueAt_Id",
                table: "care_tasks");

            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_GuideId_Status_DueAt",
                table: "care_tasks",
                columns: new[] { "GuideId", "Status", "DueAt" });
        }
    }
}
