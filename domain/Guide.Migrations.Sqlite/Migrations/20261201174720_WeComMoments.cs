using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WeComMoments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wecom_moment_polls",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    ListedUntil = table.Column<long>(type: "INTEGER", nullable: false),
                    WindowStart = table.Column<long>(type: "INTEGER", nullable: true),
                    WindowEnd = table.Column<long>(type: "INTEGER", nullable: true),
                    Cursor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_moment_polls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wecom_moments",
                columns: table => new
                {
                    MomentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatorUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DiscoveredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastPolledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PolledCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_moments", x => x.MomentId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_wecom_moments_CreatedAt",
                table: "wecom_moments",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_wecom_moments_LastPolledAt",
                table: "wecom_moments",
                column: "LastPolledAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wecom_moment_polls");

            migrationBuilder.DropTable(
                name: "wecom_moments");
        }
    }
}
