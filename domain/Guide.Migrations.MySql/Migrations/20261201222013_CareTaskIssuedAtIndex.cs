using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
{
    /// <inheritdoc />
    public partial class CareTaskIssuedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_care_tasks_IssuedAt",
                table: "care_tasks",
                column: "IssuedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_care_tasks_IssuedAt",
                table: "care_tasks");
        }
    }
}
