using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.MySql.Migrations
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
                    Id = table.Column<int>(type: "int", nullable: false),
                    ListedUntil = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    WindowStart = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    WindowEnd = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    Cursor = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Version = table.Column<int>(type: "int", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_moment_polls", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "wecom_moments",
                columns: table => new
                {
                    MomentId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    CreatorUserId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    DiscoveredAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: false),
                    LastPolledAt = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    PolledCount = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wecom_moments", x => x.MomentId);
                })
                .Annotation("MySql:CharSet", "utf8mb4");

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
