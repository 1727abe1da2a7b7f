using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
{
    /// <inheritdoc />
    public partial class CareTaskListOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The new index first: MariaDB keeps the guide foreign key on an index that starts with GuideId.
            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_GuideId_Status_UrgedAt_DueAt_Id",
                table: "care_tasks",
                columns: new[] { "GuideId", "Status", "UrgedAt", "DueAt", "Id" },
                descending: new[] { false, false, true, false, false });

            migrationBuilder.DropIndex(
                name: "IX_care_tasks_GuideId_Status_DueAt",
                table: "care_tasks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_GuideId_Status_DueAt",
                table: "care_tasks",
                columns: new[] { "GuideId", "Status", "DueAt" });

            migrationBuilder.DropIndex(
                name: "IX_care_tasks_GuideId_Status_UrgedAt_DueAt_Id",
                table: "care_tasks");
        }
    }
}
